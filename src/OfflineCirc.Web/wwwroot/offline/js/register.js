// Register patron: the fields bootstrap names, written as a `register` transaction with a `user` object.

import * as db from './db.js';
import * as context from './context.js';
import { newTransaction, describe } from './format.js';
import { patronWarnings, record, warning } from './warnings.js';
import { $, el, formatTime, showError, clearError, showStatus } from './ui.js';

const DEFAULT_FIELDS = {
  requiredFields: ['card', 'family_name', 'first_given_name', 'profile', 'home_ou'],
  optionalFields: ['dob', 'email', 'day_phone', 'usrname', 'street1', 'street2', 'city', 'state', 'post_code', 'country'],
};

const LABELS = {
  card: 'Card barcode', family_name: 'Family name', first_given_name: 'First given name',
  second_given_name: 'Second given name', pref_first_given_name: 'Preferred first name', profile: 'Profile (patron group)',
  home_ou: 'Home library', dob: 'Date of birth', email: 'Email', day_phone: 'Daytime phone', evening_phone: 'Evening phone',
  other_phone: 'Other phone', usrname: 'Username', street1: 'Street address', street2: 'Street address, line 2',
  city: 'City', county: 'County', state: 'State or province', post_code: 'Postal code', country: 'Country',
};

const INPUT_TYPES = { dob: 'date', email: 'email', day_phone: 'tel', evening_phone: 'tel', other_phone: 'tel' };

const labelFor = name => LABELS[name] || name.replace(/[_.]+/g, ' ').replace(/^./, c => c.toUpperCase());
const idFor = name => `register-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function fieldList() {
  const reg = context.bootstrap()?.registration;
  const required = reg?.requiredFields?.length ? reg.requiredFields : DEFAULT_FIELDS.requiredFields;
  const optional = (reg ? reg.optionalFields || [] : DEFAULT_FIELDS.optionalFields).filter(f => !required.includes(f));
  return [...required.map(name => ({ name, required: true })), ...optional.map(name => ({ name, required: false }))];
}

function control(field) {
  const id = idFor(field.name);
  const common = { id, name: field.name, required: field.required, dataset: { testid: id } };
  if (field.name === 'profile') {
    const profiles = context.bootstrap()?.profiles || [];
    return el('select', common, el('option', { value: '' }, 'Choose a profile'),
      ...profiles.map(p => el('option', { value: p.name }, p.name)));
  }
  if (field.name === 'home_ou') {
    const orgs = context.orgUnits();
    const select = el('select', common, el('option', { value: '' }, 'Choose a library'),
      ...orgs.map(o => el('option', { value: o.shortName }, `${o.name} (${o.shortName})`)));
    select.value = context.workstation()?.org || '';
    return select;
  }
  return el('input', { ...common, type: INPUT_TYPES[field.name] || 'text', autocomplete: 'off' });
}

export function renderRegisterForm() {
  $('#register-fields').replaceChildren(...fieldList().map(field => el('div', { class: 'field' },
    el('label', { for: idFor(field.name) }, labelFor(field.name), field.required ? el('span', { class: 'required' }, ' (required)') : null),
    control(field))));
}

async function submit(e) {
  e.preventDefault();
  clearError();
  if (!context.workstation()) {
    showError('Choose this computer\'s workstation in Settings before capturing.');
    return;
  }
  const user = {};
  const missing = [];
  for (const field of fieldList()) {
    const value = $(`#${idFor(field.name)}`).value.trim();
    if (value) user[field.name] = value;
    else if (field.required) missing.push(field);
  }
  if (missing.length) {
    showError(`Fill in: ${missing.map(f => labelFor(f.name)).join(', ')}.`);
    $(`#${idFor(missing[0].name)}`).focus();
    return;
  }
  if (user.dob && user.dob > context.today()) {
    showError('Date of birth is in the future.');
    $(`#${idFor('dob')}`).focus();
    return;
  }
  const warnings = user.card ? patronWarnings(user.card).filter(w => w.code !== 'patron_blocked') : [];
  const twin = (await db.pending()).find(r => r.type === 'register' && r.user?.card === user.card && !r.local?.held);
  if (twin) warnings.push(warning('duplicate_card', 'DUPLICATE_CAPTURE', `Card ${user.card}: registration at ${formatTime(twin.timestamp)}.`));
  if (user.card && context.block(user.card)) {
    warnings.push(warning('card_on_block_list', 'PATRON_BARCODE_EXISTS', `Card ${user.card} is on the block list: ${context.block(user.card).reason}`));
  }
  try {
    const rec = await record(newTransaction('register', context.place(), { user }), warnings);
    if (!rec) return;
    $('#register-recent').prepend(el('li', {}, `Registration: ${describe(rec)}`));
    showStatus(`Recorded registration: ${describe(rec)}.`);
    $('#register-form').reset();
    renderRegisterForm();
    $('#register-fields input, #register-fields select')?.focus();
  } catch (err) {
    showError(`Not recorded: ${err.message}`);
  }
}

export function initRegister() {
  renderRegisterForm();
  $('#register-form').addEventListener('submit', submit);
}
