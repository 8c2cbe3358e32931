// The headless API token arrives in the URL fragment (#token=…), which browsers never send to
// the server. It is moved into sessionStorage at once and erased from the address bar, so it
// cannot leak through history, bookmarks, screenshots of the URL or a Referer.

export const TOKEN_STORAGE_KEY = 'pincer.apiToken';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Reads token=… from the fragment. Not URLSearchParams: it would turn a literal '+' into a space. */
function tokenFromFragment(hash: string): string | undefined {
  const match = /(?:^#?|&)token=([^&]*)/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

export function takeToken({ location, history, storage }: TokenPlace): string | undefined {
  const fromFragment = tokenFromFragment(location.hash);
  if (fromFragment) {
    storage.setItem(TOKEN_STORAGE_KEY, fromFragment);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return fromFragment;
  }
  return storage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
}
