import { expect, it } from 'vitest';
import { socketRows } from '../../src/logic/sockets';

it('lists only states with sockets, in a fixed order, flagging the leak-shaped ones', () => {
  const rows = socketRows({
    ourSide: { TIME_WAIT: 2, ESTABLISHED: 1, CLOSE_WAIT: 0 },
    gatewaySide: { CLOSE_WAIT: 37, LISTEN: 2, ESTABLISHED: 1, FIN_WAIT2: 0 },
  });
  expect(rows).toEqual([
    { state: 'LISTEN', ours: 0, gateway: 2, concern: false },
    { state: 'ESTABLISHED', ours: 1, gateway: 1, concern: false },
    { state: 'CLOSE_WAIT', ours: 0, gateway: 37, concern: true },
    { state: 'TIME_WAIT', ours: 2, gateway: 0, concern: false },
  ]);
});

it('flags FIN_WAIT2 on our side', () => {
  expect(socketRows({ ourSide: { FIN_WAIT2: 3 }, gatewaySide: {} })).toEqual([{ state: 'FIN_WAIT2', ours: 3, gateway: 0, concern: true }]);
});

it('is empty when nothing is open', () => {
  expect(socketRows({ ourSide: {}, gatewaySide: {} })).toEqual([]);
});
