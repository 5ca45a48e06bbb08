namespace Rampart.Security.TwoFactor;

/// <summary>What enrollment shows the user: the seed in base32 and the <c>otpauth://</c> URI an authenticator app
/// scans (Key Uri Format: SHA-1, 6 digits, 30 s, RFC 6238 defaults that every app supports).</summary>
/// <param name="Base32Seed">The seed, for typing by hand.</param>
/// <param name="Uri">The <c>otpauth://totp/…</c> URI.</param>
public sealed record TotpEnrollment(string Base32Seed, string Uri);
