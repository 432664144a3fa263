// Who ran a command, for the audit trail: the operating-system account, as `cli:NAME`.
import { userInfo } from "node:os";

export const cliUser = (): string => `cli:${userInfo().username}`;
