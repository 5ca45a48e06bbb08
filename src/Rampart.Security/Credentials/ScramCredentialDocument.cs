namespace Rampart.Security.Credentials;

/// <summary>The stored JSON shape of a <see cref="ScramCredential"/>; byte arrays are base64 in JSON.</summary>
#pragma warning disable CA1819 // A data carrier for the serializer only; never handed out.
internal sealed class ScramCredentialDocument
{
    public byte[]? Salt { get; set; }

    public int Iterations { get; set; }

    public byte[]? StoredKey { get; set; }

    public byte[]? ServerKey { get; set; }
}
#pragma warning restore CA1819
