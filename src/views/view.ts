// Every panel is built once and then updated in place, so focus, scroll and selection survive
// the frequent status events.
export interface View<T> {
  el: HTMLElement;
  update(data: T): void;
}
