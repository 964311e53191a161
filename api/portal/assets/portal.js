// The portal's only script (served from /portal/assets; the CSP allows no other). Every page works without it:
// it presses the sign-in button of a link issued through the API, ticks every row with "select all", and
// reloads a resend's progress until it ends.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const auto = document.querySelector('form[data-autosubmit="true"]');
  if (auto) auto.requestSubmit();

  for (const all of document.querySelectorAll('input[data-select-all]')) {
    const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`);
    all.addEventListener('change', () => { for (const box of boxes()) box.checked = all.checked; });
  }

  const progress = document.querySelector('[data-refresh-seconds]');
  if (progress) setTimeout(() => window.location.reload(), Number(progress.dataset.refreshSeconds) * 1000);
});
