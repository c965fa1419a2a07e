/** Request bodies of the sign-in and user administration routes. */
import { z } from 'zod';
import { ROLES } from './roles.ts';
import { USERNAME } from '../store/user-store.ts';

export const SignInBody = z.object({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
  issueToken: z.boolean().optional(),
});

const TeamId = z.string().trim().min(1).max(128).nullable();

export const NewUserBody = z.object({
  username: z.string().regex(USERNAME, 'letters, digits and . _ @ - only, at most 128'),
  password: z.string().max(1024),
  role: z.enum(ROLES),
  displayName: z.string().trim().max(200).optional(),
  teamId: TeamId.optional(),
});

export const UserChangesBody = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    role: z.enum(ROLES).optional(),
    teamId: TeamId.optional(),
    password: z.string().max(1024).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const AdminAuditQuery = z.object({
  callId: z.string().max(128).optional(),
  actor: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
