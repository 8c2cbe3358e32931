import { describe, expect, it } from 'vitest';
import { takeToken, TOKEN_STORAGE_KEY } from '../../src/api/token';

function place(hash: string, stored?: string) {
  const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const replaced: string[] = [];
  return {
    storage,
    replaced,
    place: {
      location: { hash, pathname: '/', search: '' },
      history: { replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) },
      storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
    },
  };
}

describe('takeToken', () => {
  it('moves the token from the fragment into session storage and erases it from the address bar', () => {
    const t = place('#token=abc123');
    expect(takeToken(t.place)).toBe('abc123');
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(t.replaced).toEqual(['/']);
  });

  it('a new link replaces an older stored token', () => {
    const t = place('#token=new', 'old');
    expect(takeToken(t.place)).toBe('new');
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('after a reload (no fragment) the stored token is used and the URL is left alone', () => {
    const t = place('', 'stored');
    expect(takeToken(t.place)).toBe('stored');
    expect(t.replaced).toEqual([]);
  });

  it('no fragment and nothing stored → no token', () => {
    expect(takeToken(place('').place)).toBeUndefined();
  });

  it.each([
    ['#token=a%2Bb', 'a+b'],
    ['#token=a+b/c=', 'a+b/c='],
    ['#view=1&token=xyz&x=2', 'xyz'],
    ['#token=%E0%A4%A', '%E0%A4%A'],
    ['#notoken=abc', undefined],
    ['#token=', undefined],
  ])('reads %s as %s', (hash, token) => {
    expect(takeToken(place(hash).place)).toBe(token);
  });
});
