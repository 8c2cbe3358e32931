// The gateway protocol as Pincer speaks it; import from here, not from the files or the package.
export * from './constants';
export * from './frames';
export * from './device-auth';
export * from './connect';
export * from './readers';
export * from './errors';
