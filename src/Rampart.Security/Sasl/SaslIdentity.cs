namespace Rampart.Security.Sasl;

/// <summary>Who a successful exchange authenticated.</summary>
/// <param name="AccountName">The account's canonical name (from <see cref="Credentials.CredentialLookup.AccountName"/>).</param>
/// <param name="Mechanism">The SASL mechanism used, e.g. <c>SCRAM-SHA-256-PLUS</c>.</param>
public sealed record SaslIdentity(string AccountName, string Mechanism);
