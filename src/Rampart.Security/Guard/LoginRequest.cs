using System.Net;

namespace Rampart.Security.Guard;

/// <summary>One password login to check.</summary>
/// <param name="Client">The client's address (after PROXY from a trusted proxy).</param>
/// <param name="UserName">The name as the client typed it.</param>
/// <param name="Password">The password or app password.</param>
/// <param name="Protocol"><c>imap</c>, <c>pop3</c> or <c>smtp</c>.</param>
/// <param name="Mechanism">The SASL mechanism or command: <c>PLAIN</c>, <c>LOGIN</c>, <c>USER</c>.</param>
public sealed record LoginRequest(IPAddress Client, string UserName, string Password, string Protocol, string Mechanism)
{
    /// <summary>Keeps the password out of logs and exception messages.</summary>
    public override string ToString() => $"{UserName} from {Client} via {Protocol}/{Mechanism}";
}
