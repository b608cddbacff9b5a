// Better Auth's passkey verification, run with the libraries `@better-auth/passkey` runs:
// `node passkey.mjs <base URL> <origin> <input.json>`. With `"mode": "register"` it verifies a
// registration response with @simplewebauthn/server and prints the `passkey` row Better Auth's
// `/passkey/verify-registration` stores for it; with `"mode": "authenticate"` it verifies a
// sign-in response against a stored row as `/passkey/verify-authentication` does.
import { readFileSync } from "node:fs";
import { base64 } from "@better-auth/utils/base64";
import {
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
} from "@simplewebauthn/server";

const input = JSON.parse(readFileSync(process.argv[4], "utf8"));

if (input.mode === "register") {
	const { verified, registrationInfo } = await verifyRegistrationResponse({
		response: input.response,
		expectedChallenge: input.challenge,
		expectedOrigin: input.origin,
		expectedRPID: input.rpID,
		requireUserVerification: false,
	});
	const { aaguid, credentialDeviceType, credentialBackedUp, credential } =
		registrationInfo;
	console.log(
		JSON.stringify({
			verified,
			publicKey: base64.encode(credential.publicKey),
			credentialID: credential.id,
			counter: credential.counter,
			deviceType: credentialDeviceType,
			backedUp: credentialBackedUp,
			transports: input.response.response.transports?.join(",") ?? "",
			aaguid,
		}),
	);
} else {
	const passkey = input.passkey;
	const { verified, authenticationInfo } = await verifyAuthenticationResponse({
		response: input.response,
		expectedChallenge: input.challenge,
		expectedOrigin: input.origin,
		expectedRPID: input.rpID,
		credential: {
			id: passkey.credentialID,
			publicKey: base64.decode(passkey.publicKey),
			counter: passkey.counter,
			transports: passkey.transports?.split(","),
		},
		requireUserVerification: false,
	});
	console.log(
		JSON.stringify({ verified, newCounter: authenticationInfo.newCounter }),
	);
}
