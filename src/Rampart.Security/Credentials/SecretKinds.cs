namespace Rampart.Security.Credentials;

/// <summary>The names of the per-account secret records Rampart.Security keeps through <see cref="IAccountSecrets"/>.
/// Each is an opaque JSON document to the store.</summary>
public static class SecretKinds
{
    /// <summary>The <see cref="PasswordCredential"/> (Argon2id hash and SCRAM keys).</summary>
    public const string Password = "password";

    /// <summary>Argon2id hashes of the last passwords, for the no-reuse rule (Policy/PasswordHistory).</summary>
    public const string PasswordHistory = "password-history";

    /// <summary>The account's app passwords (hashes, labels, scopes, last use).</summary>
    public const string AppPasswords = "app-passwords";

    /// <summary>The TOTP seed, its last accepted step, and the recovery code hashes.</summary>
    public const string TwoFactor = "totp";

    /// <summary>The account's CIDR allow/deny rules.</summary>
    public const string AccessRules = "access-rules";

    /// <summary>Networks the account logged in from recently (the per-account throttle spares them).</summary>
    public const string KnownNetworks = "known-networks";

    /// <summary>The encrypted password-equivalent secret for CRAM-MD5 and APOP, present only when an admin enabled them.</summary>
    public const string LegacySecret = "legacy-secret";
}
