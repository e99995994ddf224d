// Who is running this execution: the rep at the keyboard, or the rep whose trigger fired.
export function myEmail(): string {
  return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || '';
}
