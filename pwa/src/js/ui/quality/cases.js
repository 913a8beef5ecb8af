/**
 * Cases: pseudonymous individual follow-up, and the end-of-intervention survey.
 */
import { t, formatDate } from '../../i18n.js';
import { checkForm } from '../field_errors.js';
import { h, field } from '../dom.js';
import { today } from '../units.js';
import { caseCodeProblem, containsIdentityNumber } from '../quality_model.js';
import { AGE_BANDS, END_REASONS, GENDERS, NEEDS_MET, SITUATIONS, live, notFound, page, saved } from './common.js';
import { questionControl, readAnswers } from './surveys.js';

export async function casesView(app, ctx) {
  const { unit, unitIds } = ctx;
  const cases = live(await app.store.all('case_records'))
    .filter((c) => unitIds.has(c.unit_id))
    .sort((a, b) => String(b.started_on).localeCompare(String(a.started_on)));
  const canWrite = app.canEdit(unit.id) && unit.kind === 'se_enhet';
  return {
    title: t('quality.cases.title'),
    live: true,
    node: page(
      app,
      unit.id,
      'cases',
      t('quality.cases.title'),
      h('p', { class: 'hint' }, t('quality.cases.hint')),
      canWrite
        ? h('p', {}, h('a', { class: 'btn primary', href: `#/quality/${unit.id}/cases/new` }, t('quality.cases.new')))
        : null,
      unit.kind !== 'se_enhet' ? h('p', { class: 'hint' }, t('quality.cases.per_enhet')) : null,
      cases.length === 0
        ? h('p', {}, t('quality.cases.none'))
        : h(
            'ul',
            { class: 'list', 'data-testid': 'case-list' },
            cases.map((c) =>
              h(
                'li',
                { class: 'row' },
                h('a', { class: 'row-main', href: `#/quality/${c.unit_id}/cases/${c.id}` }, c.case_code),
                h('span', {}, c.intervention),
                h(
                  'span',
                  { class: 'muted' },
                  `${formatDate(c.started_on)} – ${c.ended_on ? formatDate(c.ended_on) : t('quality.cases.ongoing')}`,
                ),
                c.end_reason ? h('span', { class: 'state' }, t(`quality.end_reason.${c.end_reason}`)) : null,
              ),
            ),
          ),
    ),
  };
}

export function options(values, selected, prefix, empty = true) {
  return [
    empty ? h('option', { value: '' }, '–') : null,
    values.map((v) => h('option', { value: v, selected: v === selected }, prefix ? t(`${prefix}.${v}`) : v)),
  ];
}

export async function caseView(app, ctx, caseId) {
  const { unit } = ctx;
  const existing = caseId === 'new' ? null : await app.store.get('case_records', caseId);
  if (caseId !== 'new' && (!existing || existing.deleted)) return notFound();
  const v = existing || { started_on: today(), needs: [] };
  const input = (name, attrs = {}) => h('input', { name, value: v[name] ?? '', ...attrs });
  const c = {
    case_code: input('case_code', { maxlength: 20, required: true, autocomplete: 'off' }),
    intervention: input('intervention', { maxlength: 100, required: true }),
    age_band: h('select', { name: 'age_band' }, options(AGE_BANDS, v.age_band)),
    gender: h('select', { name: 'gender' }, options(GENDERS, v.gender, 'quality.gender')),
    needs: h('textarea', { name: 'needs', rows: 3 }, (v.needs || []).join('\n')),
    started_on: input('started_on', { type: 'date', required: true }),
    ended_on: input('ended_on', { type: 'date' }),
    end_reason: h('select', { name: 'end_reason' }, options(END_REASONS, v.end_reason, 'quality.end_reason')),
    needs_met: h('select', { name: 'needs_met' }, options(NEEDS_MET, v.needs_met, 'quality.needs_met')),
    situation_after: h(
      'select',
      { name: 'situation_after' },
      options(SITUATIONS, v.situation_after, 'quality.situation_after'),
    ),
    situation_note: h('textarea', { name: 'situation_note', rows: 3 }, v.situation_note || ''),
  };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'case-form', novalidate: true },
    field(t('quality.cases.case_code'), c.case_code, t('quality.cases.case_code_hint')),
    field(t('quality.cases.intervention'), c.intervention),
    h(
      'div',
      { class: 'inline' },
      field(t('quality.cases.age_band'), c.age_band),
      field(t('quality.cases.gender'), c.gender),
    ),
    field(t('quality.cases.needs'), c.needs, t('quality.cases.needs_hint')),
    h(
      'div',
      { class: 'inline' },
      field(t('quality.cases.started_on'), c.started_on),
      field(t('quality.cases.ended_on'), c.ended_on),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('quality.cases.outcome')),
      h(
        'div',
        { class: 'inline' },
        field(t('quality.cases.end_reason'), c.end_reason),
        field(t('quality.cases.needs_met'), c.needs_met),
        field(t('quality.cases.situation_after'), c.situation_after),
      ),
      field(t('quality.cases.situation_note'), c.situation_note),
    ),
    error,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn', href: `#/quality/${unit.id}/cases` }, t('item.cancel')),
      app.canEdit(unit.id)
        ? h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'save-case' }, t('quality.save'))
        : null,
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const fields = {
      case_code: c.case_code.value.trim(),
      intervention: c.intervention.value.trim(),
      age_band: c.age_band.value || null,
      gender: c.gender.value || null,
      needs: [
        ...new Set(
          c.needs.value
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ],
      started_on: c.started_on.value,
      ended_on: c.ended_on.value || null,
      end_reason: c.end_reason.value || null,
      needs_met: c.needs_met.value || null,
      situation_after: c.situation_after.value || null,
      situation_note: c.situation_note.value.trim() || null,
    };
    const problem = caseCodeProblem(fields.case_code);
    if (problem) {
      error.textContent = t(problem === 'personnummer' ? 'quality.personnummer' : 'quality.cases.case_code_hint');
      c.case_code.focus();
      return;
    }
    const texts = [fields.intervention, fields.situation_note, ...fields.needs];
    if (texts.some(containsIdentityNumber)) {
      error.textContent = t('quality.personnummer');
      return;
    }
    if (!fields.intervention || !fields.started_on) {
      error.textContent = `${t('quality.cases.intervention')}, ${t('quality.cases.started_on')}: ?`;
      return;
    }
    if (!fields.ended_on && (fields.end_reason || fields.needs_met || fields.situation_after)) {
      error.textContent = t('quality.cases.outcome_needs_end');
      return;
    }
    const checked = existing ? fields : { ...fields, unit_id: unit.id };
    if (checkForm(form, 'case_records', checked, { existing, create: !existing })) return;
    if (existing) await app.store.update('case_records', existing.id, fields);
    else await app.store.create('case_records', { ...fields, unit_id: unit.id });
    saved(app);
    app.navigate(`#/quality/${unit.id}/cases`);
  });
  const survey = existing && existing.ended_on && app.canEdit(unit.id) ? await surveyForm(app, ctx, existing) : null;
  const title = existing ? `${t('quality.cases.case')} ${existing.case_code}` : t('quality.cases.new');
  return { title, node: page(app, unit.id, 'cases', title, form, survey) };
}

export async function surveyForm(app, ctx, caseRecord) {
  const questions = live(await app.store.where('survey_questions', 'unit_id', ctx.verksamhetId || ''))
    .filter((q) => q.survey === 'end_of_intervention' && q.active !== false)
    .sort((a, b) => (a.position || 0) - (b.position || 0));
  const answered = live(await app.store.where('survey_responses', 'case_record_id', caseRecord.id));
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'q-survey', 'data-testid': 'survey' },
    h('h2', { id: 'q-survey' }, t('quality.survey.title')),
  );
  if (answered.length) {
    section.append(h('p', {}, t('quality.survey.answered', { date: formatDate(answered[0].answered_on) })));
    return section;
  }
  if (!questions.length) {
    section.append(h('p', {}, t('quality.survey.no_questions')));
    return section;
  }
  const controls = questions.map((q) => ({ q, control: questionControl(q) }));
  const respondent = h(
    'select',
    { name: 'respondent' },
    ['client'].map((r) => h('option', { value: r }, t(`quality.survey.respondent.${r}`))),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    {},
    controls.map(({ q, control }) => field(q.text, control)),
    field(t('quality.survey.respondent_label'), respondent),
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
      unit_id: caseRecord.unit_id,
      survey: 'end_of_intervention',
      case_record_id: caseRecord.id,
      respondent: respondent.value,
      answered_on: today(),
      answers,
    });
    saved(app);
    app.navigate(location.hash);
  });
  section.append(form);
  return section;
}
