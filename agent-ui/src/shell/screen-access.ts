/**
 * Which screens each role may use (the server enforces the same on every route; this only hides what
 * would be refused): agents the desk, supervisors the wall, reviewers the replay, admins everything.
 */
import type { UserRole } from '@earpiece/assist-server/protocol';
import type { Screen } from './hash-route.ts';

const SCREENS: Record<UserRole, Screen[]> = {
  agent: ['desk'],
  supervisor: ['supervisor'],
  reviewer: ['review'],
  admin: ['desk', 'review', 'supervisor', 'admin'],
};

export const screensFor = (role: UserRole): readonly Screen[] => SCREENS[role];

/** Where a user lands, and goes when the URL names a screen they may not use. */
export const homeScreen = (role: UserRole): Screen => SCREENS[role][0]!;
