import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { IdGenerator } from '../../src/ids.js';
import { nonApiModules, standardModules } from '../../src/seed/modules.js';
import { buildSeed } from '../../src/seed/index.js';

const MODULE_KEYS = ['id', 'api_name', 'module_name', 'singular_label', 'plural_label', 'api_supported', 'generated_type', 'creatable', 'editable', 'deletable', 'viewable', 'convertable', 'quick_create', 'visibility', 'sequence_number', 'presence_sub_menu', 'show_as_tab', 'global_search_supported', 'filter_supported', 'feeds_required', 'scoring_supported', 'webform_supported', 'kanban_view', 'kanban_view_supported', 'web_link', 'modified_time', 'modified_by', 'profiles', 'business_card_field_limit', 'parent_module', 'arguments', 'emailTemplate_support', 'inventory_template_supported', 'triggers_supported', 'per_page', 'display_field', 'search_layout_fields', 'related_list_properties', 'custom_view', '$properties', 'territory'];
const FIELD_KEYS = ['id', 'api_name', 'field_label', 'display_label', 'data_type', 'json_type', 'length', 'custom_field', 'mandatory', 'system_mandatory', 'read_only', 'field_read_only', 'visible', 'decimal_place', 'default_value', 'pick_list_values', 'lookup', 'subform', 'formula', 'auto_number', 'currency', 'unique', 'view_type', 'tooltip', 'crypt', 'private', 'history_tracking', 'mass_update', 'multi_module_lookup', 'multiselectlookup', 'association_details', 'convert_mapping', 'created_source', 'businesscard_supported', 'blueprint_supported', 'webhook', 'quick_sequence_number', 'column_name', 'section_id', 'transition_sequence', 'personality_name'];
const RELATED_KEYS = ['id', 'sequence_number', 'display_label', 'api_name', 'module', 'name', 'action', 'href', 'type'];

const EXPECTED = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Tasks', 'Events', 'Calls', 'Products', 'Notes', 'Campaigns', 'Vendors', 'Cases', 'Solutions', 'Price_Books', 'Quotes', 'Sales_Orders', 'Purchase_Orders', 'Invoices'];

const MANDATORY: Record<string, string[]> = {
  Leads: ['Company', 'Last_Name'],
  Contacts: ['Last_Name'],
  Accounts: ['Account_Name'],
  Deals: ['Closing_Date', 'Deal_Name', 'Stage'],
  Tasks: ['Subject'],
  Events: ['End_DateTime', 'Event_Title', 'Start_DateTime'],
  Calls: ['Call_Duration', 'Call_Start_Time', 'Call_Type', 'Subject'],
  Products: ['Product_Name'],
  Notes: ['Note_Content'],
  Campaigns: ['Campaign_Name'],
  Vendors: ['Vendor_Name'],
  Cases: ['Case_Origin', 'Status', 'Subject'],
  Solutions: ['Solution_Title'],
  Price_Books: ['Price_Book_Name'],
  Quotes: ['Subject'],
  Sales_Orders: ['Account_Name', 'Subject'],
  Purchase_Orders: ['Subject', 'Vendor_Name'],
  Invoices: ['Account_Name', 'Subject'],
};

describe('standardModules', () => {
  const defs = standardModules(new IdGenerator(7));
  const names = new Set(defs.map((d) => d.meta.api_name));

  it('lists the 18 default API modules in order', () => {
    assert.deepEqual(defs.map((d) => d.meta.api_name), EXPECTED);
  });

  it('is deterministic for the same generator seed', () => {
    assert.equal(JSON.stringify(standardModules(new IdGenerator(7))), JSON.stringify(defs));
    assert.notEqual(JSON.stringify(standardModules(new IdGenerator(8))), JSON.stringify(defs));
  });

  it('gives every module all §8 module keys, api_supported and a valid generated_type', () => {
    for (const d of defs) {
      for (const k of MODULE_KEYS) assert.ok(k in d.meta, `${d.meta.api_name} lacks ${k}`);
      assert.equal(d.meta.api_supported, true);
      assert.equal(d.meta.generated_type, 'default');
      assert.equal(d.meta.convertable, d.meta.api_name === 'Leads');
      assert.match(d.meta.id, /^\d{19}$/);
    }
  });

  it('gives every field all §8 field keys and what the official SDK reads', () => {
    for (const d of defs) {
      const seen = new Set<string>();
      for (const f of d.fields) {
        for (const k of FIELD_KEYS) assert.ok(k in f, `${d.meta.api_name}.${f.api_name} lacks ${k}`);
        assert.ok(!seen.has(f.api_name), `${d.meta.api_name}.${f.api_name} twice`);
        seen.add(f.api_name);
        assert.ok(f.api_name !== '' && f.data_type !== '');
        if (f.data_type === 'lookup') {
          const m = (f.lookup as { module?: string }).module;
          assert.ok(m === 'se_module' || (m !== undefined && names.has(m)), `${d.meta.api_name}.${f.api_name} → ${String(m)}`);
        }
        if (f.data_type === 'picklist' || f.data_type === 'multiselectpicklist') {
          assert.ok(f.pick_list_values.length > 0);
          for (const p of f.pick_list_values) assert.equal(typeof p.display_value, 'string');
        }
        if (f.data_type === 'formula') assert.equal(typeof (f.formula as { return_type?: string }).return_type, 'string');
        if (f.data_type === 'subform') assert.equal(typeof f.subform?.module, 'string');
      }
      for (const k of ['Owner', 'Created_By', 'Modified_By', 'Created_Time', 'Modified_Time']) assert.ok(seen.has(k), `${d.meta.api_name} lacks ${k}`);
      assert.ok(seen.has(d.displayField), `${d.meta.api_name} display field`);
      for (const u of d.uniqueFields) assert.ok(seen.has(u));
    }
  });

  it('marks the mandatory fields of spec §10.4 and nothing else', () => {
    for (const d of defs) {
      const mandatory = d.fields.filter((f) => f.system_mandatory).map((f) => f.api_name).sort();
      assert.deepEqual(mandatory, MANDATORY[d.meta.api_name], d.meta.api_name);
    }
  });

  it('types the well-known fields as Zoho does', () => {
    const field = (m: string, f: string) => defs.find((d) => d.meta.api_name === m)?.fields.find((x) => x.api_name === f);
    assert.equal(field('Leads', 'Owner')?.data_type, 'ownerlookup');
    assert.equal(field('Leads', 'Created_By')?.data_type, 'userlookup');
    assert.equal(field('Leads', 'Created_By')?.read_only, true);
    assert.equal(field('Leads', 'Modified_Time')?.data_type, 'datetime');
    assert.equal(field('Leads', 'Full_Name')?.read_only, true);
    assert.deepEqual(field('Leads', 'Email')?.unique, { casesensitive: 'false' });
    assert.deepEqual(field('Contacts', 'Email')?.unique, { casesensitive: 'false' });
    assert.equal(field('Leads', 'Secondary_Email')?.data_type, 'email');
    assert.equal(field('Leads', 'Mobile')?.data_type, 'phone');
    assert.equal(field('Leads', 'Lead_Status')?.data_type, 'picklist');
    assert.equal(field('Leads', 'Lead_Status')?.pick_list_values[0]?.display_value, '-None-');
    assert.equal(field('Deals', 'Stage')?.pick_list_values[0]?.display_value, 'Qualification');
    assert.equal(field('Deals', 'Amount')?.data_type, 'currency');
    assert.equal(field('Deals', 'Amount')?.json_type, 'double');
    assert.equal(field('Deals', 'Closing_Date')?.data_type, 'date');
    assert.equal((field('Contacts', 'Account_Name')?.lookup as { module: string }).module, 'Accounts');
    assert.equal((field('Deals', 'Contact_Name')?.lookup as { module: string }).module, 'Contacts');
    assert.equal((field('Tasks', 'What_Id')?.lookup as { module: string }).module, 'se_module');
    assert.equal((field('Tasks', 'Who_Id')?.lookup as { module: string }).module, 'Contacts');
    assert.equal(field('Leads', 'Record_Image')?.data_type, 'profileimage');
    assert.equal(field('Quotes', 'Grand_Total')?.data_type, 'formula');
    assert.equal(field('Quotes', 'Product_Details')?.subform?.module, 'Quoted_Items');
  });

  it('supports photos on Leads, Contacts, Accounts, Products and Vendors only', () => {
    assert.deepEqual(defs.filter((d) => d.photoSupported).map((d) => d.meta.api_name), ['Leads', 'Contacts', 'Accounts', 'Products', 'Vendors']);
  });

  it('has one Standard layout whose sections list every field once', () => {
    for (const d of defs) {
      assert.equal(d.layouts.length, 1);
      const layout = d.layouts[0] as { name: string; sections: { fields: { api_name: string }[] }[] };
      assert.equal(layout.name, 'Standard');
      const listed = layout.sections.flatMap((s) => s.fields.map((f) => f.api_name)).sort();
      assert.deepEqual(listed, d.fields.map((f) => f.api_name).sort());
    }
  });

  it('has related lists in Zoho shape with an href and a module', () => {
    const leads = defs[0];
    assert.deepEqual(leads?.relatedLists.map((r) => r['api_name']).slice(0, 5), ['Notes', 'Attachments', 'Activities', 'Campaigns', 'Products']);
    const accounts = defs.find((d) => d.meta.api_name === 'Accounts');
    assert.ok(accounts?.relatedLists.some((r) => r['api_name'] === 'Contacts'));
    assert.equal(accounts?.relatedLists.find((r) => r['api_name'] === 'Contacts')?.['href'], 'Accounts/{ACCOUNTID}/Contacts');
    for (const d of defs) {
      for (const r of d.relatedLists) {
        for (const k of RELATED_KEYS) assert.ok(k in r, `${d.meta.api_name} related list lacks ${k}`);
        assert.equal(typeof r['href'], 'string');
        assert.equal(typeof r['module'], 'string');
      }
    }
  });

  it('has custom views with exactly one default, "All <plural>" first', () => {
    for (const d of defs) {
      assert.equal(d.customViews.filter((v) => v['default'] === true).length, 1);
      assert.equal(d.customViews[0]?.['name'], `All ${d.meta.plural_label}`);
      assert.equal(d.customViews[0]?.['default'], true);
    }
    const leads = defs[0];
    assert.deepEqual(leads?.customViews[1]?.['criteria'], { comparator: 'equal', field: 'Owner', value: '${CURRENTUSER}' });
    assert.equal(leads?.customViews[1]?.['name'], 'My Leads');
  });
});

describe('nonApiModules', () => {
  it('lists the UI modules with api_supported:false and a valid generated_type', () => {
    const mods = nonApiModules(new IdGenerator(1));
    assert.deepEqual(mods.map((m) => m.api_name), ['Home', 'Feeds', 'Reports', 'Dashboards', 'Forecasts', 'Documents', 'Projects', 'Social']);
    for (const m of mods) {
      assert.equal(m.api_supported, false);
      assert.ok(['default', 'web', 'custom', 'linking'].includes(m.generated_type));
      for (const k of MODULE_KEYS) assert.ok(k in m, `${m.api_name} lacks ${k}`);
    }
  });
});

describe('buildSeed', () => {
  it('wires module profiles, users, roles and org together', () => {
    const s = buildSeed(new IdGenerator(3), 3, Date.UTC(2025, 0, 1));
    const profileIds = new Set(s.profiles.map((p) => p['id']));
    for (const m of s.modules) for (const p of m.meta['profiles'] as { id: string }[]) assert.ok(profileIds.has(p.id));
    const roleIds = new Set(s.roles.map((r) => r['id']));
    for (const u of s.users) {
      assert.ok(roleIds.has((u['role'] as { id: string }).id));
      assert.ok(profileIds.has((u['profile'] as { id: string }).id));
    }
    assert.equal(s.org['primary_email'], 'admin@emulator.zoho.local');
    assert.equal(s.org['primary_zuid'], s.users[0]?.['zuid']);
    assert.deepEqual(Object.keys(s.dataset).slice(0, 3), ['Vendors', 'Accounts', 'Contacts']);
    const ids = [...s.modules.map((m) => m.meta.id), ...s.users.map((u) => u['id'])];
    assert.equal(new Set(ids).size, ids.length);
  });
});
