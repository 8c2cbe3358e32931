// Pincer's own update: "Update available" while it downloads, "Restart to Update" once it is ready
// (core/update-model.ts decides what to say). Hidden when there is nothing to say.
import { updateNotice, type UpdateView } from '../../electron/core/update-model';
import { t } from '../i18n';
import { h, setText } from './dom';
import type { View } from './view';

export function createUpdateLine(install: () => void): View<UpdateView> {
  const text = h('span');
  const button = h('button', { type: 'button', class: 'btn btn-small', testid: 'btn-install-update', text: t('update.install') });
  button.addEventListener('click', install);
  const el = h('div', { class: 'callout update-line', testid: 'update', role: 'status', hidden: true }, text, button);
  return {
    el,
    update(view) {
      const notice = updateNotice(view, t);
      el.hidden = notice === undefined;
      if (!notice) return;
      el.dataset.tone = notice.tone === 'bad' ? 'bad' : 'ok';
      setText(text, notice.text);
      button.hidden = !notice.canInstall;
    },
  };
}
