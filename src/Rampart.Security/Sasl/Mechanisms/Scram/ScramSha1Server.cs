using System.Security.Cryptography;
using Rampart.Security.Credentials;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// The server side of one SCRAM-SHA-1[-PLUS] exchange (RFC 5802 §5), offered only when an admin enabled it
/// (<c>Security:ScramSha1</c>); it uses the account's SCRAM-SHA-1 keys, which exist only for passwords set while
/// it was enabled.
/// </summary>
public sealed class ScramSha1Server : ScramServer
{
    /// <summary>Creates the server side of one exchange; <paramref name="plus"/> selects SCRAM-SHA-1-PLUS.</summary>
    public ScramSha1Server(SaslContext context, bool plus)
        : this(context, plus, serverNonce: null)
    {
    }

    /// <summary>For tests only: fixes the server nonce so that RFC test vectors can be replayed.</summary>
    internal ScramSha1Server(SaslContext context, bool plus, string? serverNonce)
        : base(context, HashAlgorithmName.SHA1, ScramSha1Mechanism.Standard.Name, plus, serverNonce)
    {
    }

    private protected override ScramCredential? KeysOf(PasswordCredential password) => password.ScramSha1;
}
