using System.Text;
using Rampart.Store.Model;
using Rampart.Store.Quota;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>
/// Enforces an account's quota (RFC 9208 §5) inside the account writer's transaction, just before the write that
/// adds messages. The usage is summed in the same transaction the insert commits in, and the account's writes are
/// serialised (one writer per process, and <c>BEGIN IMMEDIATE</c> between processes), so concurrent deliveries see
/// each other's messages: the account never goes over its limit, not even by one message.
/// </summary>
/// <remarks>Usage is the sum of the messages' sizes with every copy counted, as <c>GETQUOTA</c> reports it. An
/// unlimited account costs nothing; a limited one costs one aggregate over its messages per write.</remarks>
internal static class QuotaCheck
{
    /// <summary>Throws <see cref="StoreError.OverQuota"/> when adding <paramref name="messages"/> messages of
    /// <paramref name="octets"/> in total would take the account over <paramref name="limits"/>.</summary>
    public static void Ensure(WriteContext context, QuotaLimits limits, long octets, long messages)
    {
        if (limits.IsUnlimited || messages == 0)
        {
            return;
        }

        using var command = context.Command("SELECT coalesce(sum(size), 0), coalesce(sum(messages), 0) FROM mailbox_counts");
        using var reader = command.ExecuteReader();
        reader.Read();
        if (!limits.Allows(reader.GetInt64(0), reader.GetInt64(1), octets, messages))
        {
            throw new StoreException(StoreError.OverQuota, "The account is over its quota.");
        }
    }

    /// <summary>The check for COPY: the copies add the sizes of the messages <paramref name="uids"/> of the source.</summary>
    public static void EnsureCopy(WriteContext context, QuotaLimits limits, long sourceId, UidSet uids)
    {
        if (limits.IsUnlimited)
        {
            return;
        }

        long octets, messages;
        using (var command = context.Command(string.Empty))
        {
            var sql = new StringBuilder("SELECT coalesce(sum(size), 0), count(*) FROM messages WHERE mailbox_id = $m AND ");
            command.Parameters.AddWithValue("$m", sourceId);
            UidFilter.Append(sql, command, uids, "uid");
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            reader.Read();
            (octets, messages) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        Ensure(context, limits, octets, messages);
    }
}
