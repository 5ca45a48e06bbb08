namespace Rampart.Net.Listeners;

/// <summary>The protocol side of a listener: runs one session on an accepted, admitted connection.</summary>
public interface IConnectionHandler
{
    /// <summary>Runs the session. The listener disposes the connection when this returns or throws.</summary>
    /// <param name="connection">The connection, already past the access checks and (implicit) TLS.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    Task HandleAsync(Connection connection, CancellationToken cancellationToken);
}
