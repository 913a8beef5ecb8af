/**
 * Survey links (issue 18, point 7): the manager makes one link per respondent, sees how many are
 * answered, and sends the unanswered ones again. Online only: a link's address exists once, in the
 * server's answer when it is made (or made anew), and is never stored on the device. The answers
 * come back as ordinary survey responses, through sync, into the summary above.
 */
import { t, formatDate } from '../../i18n.js';
import { h, field } from '../dom.js';
import { containsIdentityNumber } from '../quality_model.js';
import { errorText, live } from './common.js';

export const LINK_SURVEYS = ['annual', 'end_of_intervention'];
export const RESPONDENTS_OF = { annual: ['staff', 'commissioner', 'partner'], end_of_intervention: ['client'] };
export const LINK_LANGUAGES = ['sv', 'da', 'en'];
const COUNTS = ['links', 'answered', 'open', 'expired', 'withdrawn'];

/** The links still worth a reminder: unanswered, not withdrawn (open or expired). */
export function resendList(links) {
  return links.filter((l) => l.state === 'open' || l.state === 'expired');
}

export function linksSection(app, ctx) {
  const { unit } = ctx;
  const section = h('section', { class: 'card', 'data-testid': 'survey-links' }, h('h2', {}, t('quality.links.title')));
  const body = h('div', {});
  section.append(h('p', { class: 'hint' }, t('quality.links.hint')), body);
  if (!app.online()) {
    body.append(h('p', { class: 'muted' }, t('quality.links.offline')));
    return section;
  }
  const fresh = h('ul', { class: 'list', 'data-testid': 'new-links', 'aria-live': 'polite' });
  const status = h('p', { class: 'error', role: 'alert' });

  async function refresh() {
    let links, summary;
    try {
      [links, summary] = await Promise.all([app.api.surveyLinks(unit.id), app.api.surveyLinkSummary(unit.id)]);
    } catch (err) {
      status.textContent = errorText(err);
      return;
    }
    // Only nodes: replaceChildren writes a null as the text "null".
    body.replaceChildren(
      ...[
        countsTable(summary),
        createForm(app, ctx, show, refresh),
        status,
        fresh.childElementCount ? h('h3', {}, t('quality.links.new_title')) : null,
        fresh,
        resendSection(app, resendList(links), show, refresh, status),
      ].filter(Boolean),
    );
  }

  /** An address just made: shown now, with a copy button, and never again. */
  function show(issued) {
    const address = h('input', {
      type: 'text',
      readonly: true,
      value: issued.url,
      'aria-label': `${t('quality.links.address')} ${issued.number}`,
      'data-testid': 'link-url',
    });
    address.addEventListener('focus', () => address.select());
    const copy = h('button', { type: 'button', class: 'btn small' }, t('quality.links.copy'));
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(issued.url);
        copy.textContent = t('quality.links.copied');
      } catch {
        address.focus();
      }
    });
    fresh.append(h('li', {}, h('span', {}, linkName(issued)), address, copy));
  }

  refresh();
  return section;
}

function linkName(link) {
  const who = t(`quality.survey.respondent.${link.respondent}`);
  return `${t('quality.links.number', { n: link.number })} · ${link.label || who}`;
}

function countsTable(summary) {
  if (!summary.length) return h('p', {}, t('quality.links.none'));
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0' },
    h(
      'table',
      { class: 'quality-table', 'data-testid': 'link-counts' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('quality.surveys.which')),
          COUNTS.map((c) => h('th', { scope: 'col' }, t(`quality.links.count.${c}`))),
        ),
      ),
      h(
        'tbody',
        {},
        summary.map((row) =>
          h(
            'tr',
            { 'data-survey': row.survey },
            h('th', { scope: 'row' }, t(`quality.surveys.${row.survey}`)),
            COUNTS.map((c) => h('td', {}, String(row[c]))),
          ),
        ),
      ),
    ),
  );
}

function createForm(app, ctx, show, refresh) {
  const { unit } = ctx;
  const survey = h(
    'select',
    { name: 'survey' },
    LINK_SURVEYS.map((s) => h('option', { value: s }, t(`quality.surveys.${s}`))),
  );
  const respondent = h('select', { name: 'respondent' });
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 200, value: 1, inputmode: 'numeric' });
  const caseChoice = h('select', { name: 'case_record_id' });
  const language = h(
    'select',
    { name: 'language' },
    LINK_LANGUAGES.map((l) => h('option', { value: l }, t(`quality.links.language.${l}`))),
  );
  const expires = h('input', { type: 'date', name: 'expires_on' });
  const label = h('input', { name: 'label', maxlength: 100 });
  const error = h('p', { class: 'error', role: 'alert' });
  const caseField = field(t('quality.links.case'), caseChoice, t('quality.links.case_hint'));

  async function fillChoices() {
    respondent.replaceChildren(
      ...RESPONDENTS_OF[survey.value].map((r) => h('option', { value: r }, t(`quality.survey.respondent.${r}`))),
    );
    const closed = live(await app.store.where('case_records', 'unit_id', unit.id)).filter((c) => c.ended_on);
    caseChoice.replaceChildren(
      h('option', { value: '' }, t('quality.links.no_case')),
      ...closed.map((c) => h('option', { value: c.id }, `${c.case_code} (${formatDate(c.ended_on)})`)),
    );
    caseField.hidden = survey.value !== 'end_of_intervention' || closed.length === 0;
  }
  survey.addEventListener('change', fillChoices);
  fillChoices();

  const submit = h(
    'button',
    { type: 'submit', class: 'btn primary', 'data-online-only': true },
    t('quality.links.create'),
  );
  const form = h(
    'form',
    { 'data-testid': 'survey-link-form', novalidate: true },
    h('h3', {}, t('quality.links.new')),
    field(t('quality.surveys.which'), survey),
    field(t('quality.survey.respondent_label'), respondent),
    field(t('quality.links.count_label'), count, t('quality.links.count_hint')),
    caseField,
    field(t('quality.links.language_label'), language),
    field(t('quality.links.expires'), expires, t('quality.links.expires_hint')),
    field(t('quality.links.label'), label, t('quality.links.label_hint')),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (containsIdentityNumber(label.value)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    const body = {
      unit_id: unit.id,
      survey: survey.value,
      respondent: respondent.value,
      count: Number(count.value) || 1,
      language: language.value,
      label: label.value.trim() || null,
      expires_on: expires.value || null,
    };
    if (!caseField.hidden && caseChoice.value) body.case_record_id = caseChoice.value;
    submit.disabled = true;
    try {
      const made = await app.api.createSurveyLinks(body);
      made.links.forEach(show);
      await refresh();
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function resendSection(app, links, show, refresh, status) {
  return h(
    'div',
    {},
    h('h3', {}, t('quality.links.resend_title', { n: links.length })),
    links.length === 0
      ? h('p', {}, t('quality.links.all_answered'))
      : h(
          'ul',
          { class: 'list', 'data-testid': 'resend-list' },
          links.map((link) =>
            h(
              'li',
              {},
              h(
                'span',
                {},
                `${linkName(link)} · ${t(`quality.links.state.${link.state}`)} · ${t('quality.links.last_day', {
                  date: formatDate(link.expires_on),
                })}`,
              ),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn small',
                  onclick: async () => {
                    try {
                      show(await app.api.reissueSurveyLink(link.id));
                      await refresh();
                    } catch (err) {
                      status.textContent = errorText(err);
                    }
                  },
                },
                t('quality.links.reissue'),
              ),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn small',
                  onclick: async () => {
                    if (!window.confirm(t('quality.links.withdraw_confirm'))) return;
                    try {
                      await app.api.withdrawSurveyLink(link.id);
                      await refresh();
                    } catch (err) {
                      status.textContent = errorText(err);
                    }
                  },
                },
                t('quality.links.withdraw'),
              ),
            ),
          ),
        ),
  );
}
