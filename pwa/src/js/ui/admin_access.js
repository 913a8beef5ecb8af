/**
 * Who sees the administration (its navigation entry and its screen): a module of its own so
 * that the frame of every screen (shell.js) can ask without loading the administration's
 * rules and their words (admin_model.js, which re-exports it).
 */

/** The navigation entry and the screen are for users who are admin of at least one unit. */
export function isAdmin(user) {
  return Boolean(user && (user.memberships || []).some((m) => m.role === 'admin'));
}
