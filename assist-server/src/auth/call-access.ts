/**
 * Which calls a user may see:
 *   agent       their own calls only (the call's agent id is their user id)
 *   supervisor  calls of their team's agents (users.team_id); a supervisor without a team sees every agent
 *   reviewer    ended and archived calls only (never a live call, socket or live audio)
 *   admin       every call
 */
import type { AuthUser } from './roles.ts';

export interface CallOwner {
  agentId: string;
  live: boolean;
}

export interface TeamDirectory {
  teamAgents(teamId: string): Promise<readonly string[]>;
}

/** Undefined when the user may see the call, else why not. */
export async function callAccessProblem(user: AuthUser, call: CallOwner, teams: TeamDirectory): Promise<string | undefined> {
  switch (user.role) {
    case 'admin':
      return undefined;
    case 'agent':
      return call.agentId === user.userId ? undefined : 'this call belongs to another agent';
    case 'reviewer':
      return call.live ? 'reviewers see ended calls only' : undefined;
    case 'supervisor':
      if (user.teamId === null) return undefined;
      return (await teams.teamAgents(user.teamId)).includes(call.agentId) ? undefined : "this call's agent is not in your team";
  }
}

/** The agent ids a user's lists and reports cover; undefined: every agent. */
export async function agentScope(user: AuthUser, teams: TeamDirectory): Promise<readonly string[] | undefined> {
  if (user.role === 'agent') return [user.userId];
  if (user.role === 'supervisor' && user.teamId !== null) return teams.teamAgents(user.teamId);
  return undefined;
}
