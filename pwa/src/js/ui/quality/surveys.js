/**
 * Surveys: questions of a verksamhet, the annual survey, and what the answers sum to.
 */
import { t } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { today } from '../units.js';
import { containsIdentityNumber } from '../quality_model.js';
import { currentYear, live, page, saved } from './common.js';
import { linkForm, linkList, swedishItems } from './links.js';
import { linksSection } from './survey_links.js';

export const SURVEYS = ['end_of_intervention', 'annual'];
export const ANSWER_TYPES = ['scale', 'yes_no', 'text'];

export function questionControl(q) {
  if (q.answer_type === 'scale') {
    return h(
      'select',
      { name: q.id },
      h('option', { value: '' }, '–'),
      [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, t('quality.survey.scale', { n }))),
    );
  }
  if (q.answer_type === 'yes_no') {
    return h(
      'select',
      { name: q.id },
      h('option', { value: '' }, '–'),
      h('option', { value: 'true' }, t('quality.needs_met.yes')),
      h('option', { value: 'false' }, t('quality.needs_met.no')),
    );
  }
  return h('textarea', { name: q.id, rows: 2, maxlength: 2000 });
}

export function readAnswers(controls) {
  const answers = {};
  for (const { q, control } of controls) {
    const value = control.value.trim();
    if (!value) continue;
    answers[q.id] = q.answer_type === 'scale' ? Number(value) : q.answer_type === 'yes_no' ? value === 'true' : value;
  }
  return answers;
}

/** Per question: how many answered, and the mean (scale) or the share of yes. */
export function summarise(questions, responses) {
  return questions
    .filter((q) => q.answer_type !== 'text')
    .map((q) => {
      const answers = responses.map((r) => (r.answers || {})[q.id]).filter((a) => a != null);
      const figure = !answers.length
        ? '–'
        : q.answer_type === 'scale'
          ? t('quality.surveys.mean', {
              value: new Intl.NumberFormat(document.documentElement.lang || 'sv', { maximumFractionDigits: 1 }).format(
                answers.reduce((x, y) => x + y, 0) / answers.length,
              ),
            })
          : t('quality.surveys.yes_of', { yes: answers.filter(Boolean).length, n: answers.length });
      return { q, n: answers.length, figure };
    });
}

export async function surveysView(app, ctx) {
  const { unit, unitIds, verksamhetId } = ctx;
  const state = app.qualityPeriod || (app.qualityPeriod = { year: currentYear(), tertial: '1' });
  const questions = live(await app.store.where('survey_questions', 'unit_id', verksamhetId || '')).sort(
    (a, b) => (a.position || 0) - (b.position || 0),
  );
  const responses = live(await app.store.all('survey_responses')).filter(
    (r) => unitIds.has(r.unit_id) && String(r.answered_on).startsWith(String(state.year)),
  );
  const manager = verksamhetId && app.isManager(verksamhetId);
  const items = await swedishItems(app, unitIds);
  const links = live(await app.store.all('quality_links'));
  const canLink = app.canEdit(unit.id) && items.length > 0;
  const sections = SURVEYS.map((survey) => {
    const asked = questions.filter((q) => q.survey === survey);
    const summary = summarise(
      asked.filter((q) => q.active !== false),
      responses.filter((r) => r.survey === survey),
    );
    return h(
      'section',
      { class: 'card', 'data-survey': survey },
      h('h2', {}, t(`quality.surveys.${survey}`)),
      asked.length === 0
        ? h('p', {}, t('quality.survey.no_questions'))
        : h(
            'div',
            { class: 'table-wrap', tabindex: '0' },
            h(
              'table',
              { class: 'quality-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, t('quality.surveys.question')),
                  h('th', { scope: 'col' }, t('quality.surveys.answers', { year: state.year })),
                  manager ? h('th', { scope: 'col' }, t('quality.surveys.active')) : null,
                ),
              ),
              h(
                'tbody',
                {},
                asked.map((q) => {
                  const row = summary.find((x) => x.q.id === q.id);
                  const box = h('input', {
                    type: 'checkbox',
                    checked: q.active !== false,
                    'aria-label': `${t('quality.surveys.active')}: ${q.text}`,
                  });
                  box.addEventListener('change', async () => {
                    await app.store.update('survey_questions', q.id, { active: box.checked });
                    saved(app);
                  });
                  return h(
                    'tr',
                    {},
                    h(
                      'th',
                      { scope: 'row' },
                      q.text,
                      h('span', { class: 'muted' }, ` (${t(`quality.surveys.type.${q.answer_type}`)})`),
                    ),
                    h(
                      'td',
                      {},
                      row ? `${row.figure} (${row.n})` : '',
                      linkList(
                        links.filter((l) => l.source_id === q.id),
                        items,
                      ),
                      canLink ? linkForm(app, 'survey_questions', q.id, q.text, items, links) : null,
                    ),
                    manager ? h('td', {}, box) : null,
                  );
                }),
              ),
            ),
          ),
      survey === 'annual' && app.canEdit(unit.id) && asked.some((q) => q.active !== false)
        ? annualForm(
            app,
            ctx,
            asked.filter((q) => q.active !== false),
          )
        : null,
    );
  });
  return {
    title: t('quality.surveys.title'),
    node: page(
      app,
      unit.id,
      'surveys',
      t('quality.surveys.title'),
      h('p', { class: 'hint' }, t('quality.surveys.hint')),
      ...sections,
      app.isManager(unit.id) ? linksSection(app, ctx) : null,
      manager && app.units.has(verksamhetId) ? questionForm(app, verksamhetId, questions) : null,
    ),
  };
}

export function annualForm(app, ctx, questions) {
  const controls = questions.map((q) => ({ q, control: questionControl(q) }));
  const respondent = h(
    'select',
    { name: 'respondent' },
    ['staff', 'commissioner', 'partner'].map((r) => h('option', { value: r }, t(`quality.survey.respondent.${r}`))),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { 'data-testid': 'annual-form' },
    h('h3', {}, t('quality.surveys.register_answer')),
    field(t('quality.survey.respondent_label'), respondent),
    controls.map(({ q, control }) => field(q.text, control)),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.survey.save')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const answers = readAnswers(controls);
    if (Object.values(answers).some((a) => typeof a === 'string' && containsIdentityNumber(a))) {
      error.textContent = t('quality.personnummer');
      return;
    }
    await app.store.create('survey_responses', {
      unit_id: ctx.unit.id,
      survey: 'annual',
      case_record_id: null,
      respondent: respondent.value,
      answered_on: today(),
      answers,
    });
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}

export function questionForm(app, verksamhetId, questions) {
  const survey = h(
    'select',
    { name: 'survey' },
    SURVEYS.map((x) => h('option', { value: x }, t(`quality.surveys.${x}`))),
  );
  const text = h('input', { name: 'text', maxlength: 500 });
  const type = h(
    'select',
    { name: 'answer_type' },
    ANSWER_TYPES.map((x) => h('option', { value: x }, t(`quality.surveys.type.${x}`))),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'question-form', novalidate: true },
    h('h2', {}, t('quality.surveys.new_question')),
    field(t('quality.surveys.which'), survey),
    field(t('quality.surveys.question'), text),
    field(t('quality.surveys.answer_type'), type),
    error,
    h('button', { type: 'submit', class: 'btn primary' }, t('quality.surveys.add')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = text.value.trim();
    if (!value || containsIdentityNumber(value)) {
      error.textContent = value ? t('quality.personnummer') : `${t('quality.surveys.question')}: ?`;
      return;
    }
    const position =
      questions.filter((q) => q.survey === survey.value).reduce((m, q) => Math.max(m, q.position || 0), 0) + 1;
    const row = {
      unit_id: verksamhetId,
      survey: survey.value,
      text: value,
      answer_type: type.value,
      position,
      active: true,
    };
    if (checkForm(form, 'survey_questions', row, { create: true })) return;
    await app.store.create('survey_questions', row);
    saved(app);
    app.navigate(location.hash);
  });
  return form;
}
