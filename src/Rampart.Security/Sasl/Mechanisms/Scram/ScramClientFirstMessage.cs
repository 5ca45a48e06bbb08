using System.Diagnostics.CodeAnalysis;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// A parsed client-first-message (RFC 5802 §7):
/// <c>gs2-cbind-flag "," [authzid] "," [reserved-mext ","] username "," nonce ["," extensions]</c>.
/// </summary>
internal sealed class ScramClientFirstMessage
{
    /// <summary>The channel-binding type Rampart supports (RFC 5929 §4); .NET has no TLS exporter.</summary>
    public const string TlsServerEndPoint = "tls-server-end-point";

    private ScramClientFirstMessage(char flag, string? channelBindingName, string? authorizationId, string userName, string clientNonce, string gs2Header, string bare)
    {
        Flag = flag;
        ChannelBindingName = channelBindingName;
        AuthorizationId = authorizationId;
        UserName = userName;
        ClientNonce = clientNonce;
        Gs2Header = gs2Header;
        Bare = bare;
    }

    /// <summary>'n' (client does not support channel binding), 'y' (it does, and thinks the server does not), 'p' (it uses it).</summary>
    public char Flag { get; }

    /// <summary>For 'p': the channel-binding type name.</summary>
    public string? ChannelBindingName { get; }

    /// <summary>The authorization identity (<c>a=</c>), unescaped, or null.</summary>
    public string? AuthorizationId { get; }

    /// <summary>The user name (<c>n=</c>), unescaped.</summary>
    public string UserName { get; }

    /// <summary>The client's nonce (<c>r=</c>).</summary>
    public string ClientNonce { get; }

    /// <summary>The GS2 header as sent, including its trailing comma; the client-final <c>c=</c> must repeat it.</summary>
    public string Gs2Header { get; }

    /// <summary>client-first-message-bare as sent, the first part of AuthMessage.</summary>
    public string Bare { get; }

    public static bool TryParse(string message, [NotNullWhen(true)] out ScramClientFirstMessage? parsed)
    {
        parsed = null;
        var firstComma = message.IndexOf(',', StringComparison.Ordinal);
        var secondComma = firstComma < 0 ? -1 : message.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            return false;
        }

        var flagPart = message.AsSpan(0, firstComma);
        char flag;
        string? channelBindingName = null;
        if (flagPart is "n" or "y")
        {
            flag = flagPart[0];
        }
        else if (ScramAttributes.Is(flagPart, 'p') && IsChannelBindingName(flagPart[2..]))
        {
            flag = 'p';
            channelBindingName = flagPart[2..].ToString();
        }
        else
        {
            return false;
        }

        var authzidPart = message.AsSpan(firstComma + 1, secondComma - firstComma - 1);
        string? authorizationId = null;
        if (!authzidPart.IsEmpty && (!ScramAttributes.Is(authzidPart, 'a') || !ScramSaslName.TryUnescape(authzidPart[2..], out authorizationId)))
        {
            return false;
        }

        var gs2Header = message[..(secondComma + 1)];
        var bare = message[(secondComma + 1)..];
        var attributes = bare.Split(',');
        // RFC 5802 §5.1: "m" announces a mandatory extension; one the server does not know must fail.
        if (attributes.Length < 2
            || !ScramAttributes.Is(attributes[0], 'n') || !ScramSaslName.TryUnescape(attributes[0].AsSpan(2), out var userName)
            || !ScramAttributes.Is(attributes[1], 'r') || !ScramAttributes.IsPrintable(attributes[1].AsSpan(2)))
        {
            return false;
        }

        for (var i = 2; i < attributes.Length; i++)
        {
            if (!ScramAttributes.IsExtension(attributes[i]))
            {
                return false;
            }
        }

        parsed = new ScramClientFirstMessage(flag, channelBindingName, authorizationId, userName, attributes[1][2..], gs2Header, bare);
        return true;
    }

    private static bool IsChannelBindingName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
