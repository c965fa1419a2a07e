/**
 * Roles and route access policies. Every /api and /ws route declares one in its options,
 * `app.get(path, { config: { access: 'supervisor' } }, handler)`; a node refuses to start when one does not
 * (auth/access-control.ts).
 *
 *   'public'     anyone, signed in or not (sign-in, health)
 *   'ingest'     machine to machine (telephony bridge → server); outside user sign-in, guarded by
 *                EARPIECE_INGEST_TOKEN when that is set
 *   'signed-in'  any signed-in user
 *   a role, or a list of roles: users with one of them; admin may use every route
 *
 * Calls are scoped on top of that (auth/call-access.ts): a route with a :callId parameter (or a
 * `callId` query on a socket) only serves a call the user may see.
 */
export const ROLES = ['agent', 'supervisor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type RouteAccess = 'public' | 'ingest' | 'signed-in' | Role | readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether a signed-in user with `role` passes `access` (admin passes every user route). */
export function roleAllowed(access: RouteAccess, role: Role): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  if (access === 'ingest') return false;
  if (role === 'admin') return true;
  return typeof access === 'string' ? access === role : access.includes(role);
}

export function isValidAccess(value: unknown): value is RouteAccess {
  if (value === 'public' || value === 'ingest' || value === 'signed-in' || isRole(value)) return true;
  return Array.isArray(value) && value.length > 0 && value.every(isRole);
}

/** The signed-in user a request carries (request.user). `userId` is also the agent id calls carry. */
export interface AuthUser {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  teamId: string | null;
}
