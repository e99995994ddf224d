// The plan that makes a sheet's state follow its id: renames, deletions, and state claimed by name.
import { currentName, isAddonSheet, planIdentity } from '../../src/core/sync/sheet-identity';

const withState =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name);

test('a renamed sheet moves its state; a deleted one frees it; state under a name no id owns is claimed', () => {
  const plan = planIdentity(
    { '1': { name: 'Close Leads' }, '2': { name: 'Gone' } },
    [
      { id: 1, name: 'Q4 Leads' },
      { id: 3, name: 'Close Contacts' },
      { id: 4, name: 'Sheet1' },
    ],
    withState('Close Leads', 'Gone', 'Close Contacts'),
  );
  expect(plan.renamed).toEqual([{ id: 1, from: 'Close Leads', to: 'Q4 Leads' }]);
  expect(plan.deleted).toEqual([{ id: 2, name: 'Gone' }]);
  expect(plan.claimed).toEqual([{ id: 3, name: 'Close Contacts' }]);
  expect(plan.registry).toEqual({
    '1': { name: 'Q4 Leads', formerNames: ['Close Leads'] },
    '3': { name: 'Close Contacts' },
  });
});

test("a new sheet given a registered sheet's old name does not take its state; swapped names swap state", () => {
  const plan = planIdentity(
    { '1': { name: 'A' }, '2': { name: 'B' } },
    [
      { id: 1, name: 'B' },
      { id: 2, name: 'A' },
      { id: 5, name: 'Close Leads' },
    ],
    withState('A', 'B'),
  );
  expect(plan.renamed).toEqual([
    { id: 1, from: 'A', to: 'B' },
    { id: 2, from: 'B', to: 'A' },
  ]);
  expect(plan.claimed).toEqual([]);

  const reused = planIdentity(
    { '1': { name: 'Close Leads' } },
    [{ id: 9, name: 'Close Leads' }],
    withState('Close Leads'),
  );
  expect(reused.deleted).toEqual([{ id: 1, name: 'Close Leads' }]);
  expect(reused.claimed).toEqual([]);
  expect(reused.registry).toEqual({});
});

test('a name logged before a rename resolves to the name now; add-on sheets are never targets', () => {
  const registry = { '1': { name: 'Q4 Leads', formerNames: ['Close Leads'] } };
  expect(currentName(registry, 'Close Leads')).toBe('Q4 Leads');
  expect(currentName(registry, 'Q4 Leads')).toBe('Q4 Leads');
  expect(currentName(registry, 'Other')).toBe('Other');
  expect(
    [
      'Close Sync snapshot · X',
      'Close Sync Push Log',
      'close sync log',
      'Close Sync Lists',
      'Close Report',
    ].map(isAddonSheet),
  ).toEqual([true, true, true, true, true]);
  expect(['Close Leads', 'Close Syncing notes', 'Report'].map(isAddonSheet)).toEqual([false, false, false]);
});
