using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// The <c>saslname</c> of RFC 5802 §7: a user or authorization name in which "," is written <c>=2C</c> and
/// "=" is written <c>=3D</c>; any other "=" is an error.
/// </summary>
internal static class ScramSaslName
{
    /// <summary>Unescapes <paramref name="value"/>; false when it is empty or has a bad escape.</summary>
    public static bool TryUnescape(ReadOnlySpan<char> value, [NotNullWhen(true)] out string? name)
    {
        name = null;
        if (value.IsEmpty)
        {
            return false;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }

            if (c != '=')
            {
                builder.Append(c);
                continue;
            }

            if (value[(i + 1)..].StartsWith("2C", StringComparison.Ordinal))
            {
                builder.Append(',');
            }
            else if (value[(i + 1)..].StartsWith("3D", StringComparison.Ordinal))
            {
                builder.Append('=');
            }
            else
            {
                return false;
            }

            i += 2;
        }

        name = builder.ToString();
        return true;
    }
}
