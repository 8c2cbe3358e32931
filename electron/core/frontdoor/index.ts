// The front door (zero-refusal restarts): import from here.
export { createFrontDoor, type FrontDoor, type FrontDoorCounters, type FrontDoorOptions } from './front-door';
export { FrontDoorListenError } from './listen';
export { isOriginAllowed } from './origin-policy';
