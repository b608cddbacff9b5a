// The verification identifier Better Auth stores an OAuth flow's state under, by Better Auth's
// own function (`auth-state:<state>` in 1.7.25).
// usage: node better-auth-state.mjs <state>
import { getAuthStateVerificationIdentifier } from "@better-auth/core/utils/state";

console.log(JSON.stringify({ identifier: getAuthStateVerificationIdentifier(process.argv[2]) }));
