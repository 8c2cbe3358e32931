// The app's identity: electron-builder.yml's appId (pack:check asserts they match). Windows uses
// it as the AppUserModelID that groups the taskbar and attributes notifications.
export const APP_ID = 'dev.pincer.app';
