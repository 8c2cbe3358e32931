; Pincer's additions to electron-builder's NSIS installer (nsis.include in electron-builder.yml).

; Per-user only: the assisted installer would otherwise offer "all users", which needs admin rights.
!macro customInstallMode
  StrCpy $isForceCurrentInstall "1"
  StrCpy $isForceMachineInstall "0"
!macroend

; Stops this user's running Pincer and its gateway, so no file in the install folder is in use.
; Closing Pincer's window would only hide it to the tray, so it is asked to quit instead: a second
; launch with --quit reaches the running one (Electron's single-instance lock), which stops the
; gateway gracefully and exits (its own quit is bounded at 15 s); with no Pincer running, --quit
; starts nothing. Only if Pincer is still there after 20 s (a version without --quit, or a hung
; app) is the whole tree killed; the gateway is its child (utility process, or the bundled
; OpenClaw's node.exe), so /T reaches it. electron-builder's own running-app check follows.
!macro pincerStopRunning
  Push $0
  Push $1
  IfFileExists "$INSTDIR\${APP_EXECUTABLE_FILENAME}" 0 pincer_asked
    nsExec::Exec `"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --quit`
    Pop $0
  pincer_asked:
  StrCpy $1 0
  pincer_wait:
    nsExec::Exec `"$SYSDIR\cmd.exe" /C tasklist /FI "IMAGENAME eq ${APP_EXECUTABLE_FILENAME}" /FI "USERNAME eq %USERNAME%" /NH | "$SYSDIR\findstr.exe" /I /C:"${APP_EXECUTABLE_FILENAME}"`
    Pop $0
    ; findstr exits 1 when it finds nothing: Pincer is gone.
    StrCmp $0 "1" pincer_stopped
    IntOp $1 $1 + 1
    IntCmp $1 80 pincer_force
    Sleep 250
    Goto pincer_wait
  pincer_force:
    nsExec::Exec `"$SYSDIR\cmd.exe" /C taskkill /IM "${APP_EXECUTABLE_FILENAME}" /T /F /FI "USERNAME eq %USERNAME%"`
    Pop $0
    ; Give Windows a moment to release the files the killed processes held.
    Sleep 1000
  pincer_stopped:
  Pop $1
  Pop $0
!macroend

!macro customInit
  !insertmacro pincerStopRunning
!macroend

!macro customUnInit
  !insertmacro pincerStopRunning
!macroend
