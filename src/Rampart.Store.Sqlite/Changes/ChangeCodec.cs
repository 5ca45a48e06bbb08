using System.Text.Json;
using Rampart.Store.Changes;
using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Changes;

/// <summary>Encodes a <see cref="MailChange"/> as a change-log row (kind + JSON), so that a change committed by any
/// process can be read back by every process that has subscribers.</summary>
internal static class ChangeCodec
{
    private enum Kind
    {
        MessageAdded = 1,
        FlagsChanged = 2,
        MessagesExpunged = 3,
        MailboxCreated = 4,
        MailboxRenamed = 5,
        MailboxDeleted = 6,
        SubscriptionChanged = 7,
    }

    public static (int Kind, string Data) Encode(MailChange change)
    {
        var (kind, row) = change switch
        {
            MessageAdded c => (Kind.MessageAdded, new Row { M = c.MailboxId, U = c.Uid, S = c.ModSeq }),
            FlagsChanged c => (Kind.FlagsChanged, new Row { M = c.MailboxId, U = c.Uid, S = c.ModSeq, F = (int)c.Flags.System, K = [.. c.Flags.Keywords] }),
            MessagesExpunged c => (Kind.MessagesExpunged, new Row { M = c.MailboxId, Us = [.. c.Uids], S = c.ModSeq }),
            MailboxCreated c => (Kind.MailboxCreated, new Row { M = c.MailboxId, N = c.Name }),
            MailboxRenamed c => (Kind.MailboxRenamed, new Row { M = c.MailboxId, N = c.OldName, N2 = c.NewName }),
            MailboxDeleted c => (Kind.MailboxDeleted, new Row { M = c.MailboxId, N = c.Name }),
            SubscriptionChanged c => (Kind.SubscriptionChanged, new Row { M = c.MailboxId, N = c.Name, B = c.Subscribed }),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Unknown change kind."),
        };
        return ((int)kind, JsonSerializer.Serialize(row));
    }

    /// <summary>Decodes a row; null for a kind this version does not know (written by a newer Rampart).</summary>
    public static MailChange? Decode(int kind, string data)
    {
        var r = JsonSerializer.Deserialize<Row>(data) ?? new Row();
        return (Kind)kind switch
        {
            Kind.MessageAdded => new MessageAdded(r.M, r.U, r.S),
            Kind.FlagsChanged => new FlagsChanged(r.M, r.U, r.S, new MessageFlags((SystemFlags)r.F, r.K ?? [])),
            Kind.MessagesExpunged => new MessagesExpunged(r.M, r.Us ?? [], r.S),
            Kind.MailboxCreated => new MailboxCreated(r.M, r.N ?? string.Empty),
            Kind.MailboxRenamed => new MailboxRenamed(r.M, r.N ?? string.Empty, r.N2 ?? string.Empty),
            Kind.MailboxDeleted => new MailboxDeleted(r.M, r.N ?? string.Empty),
            Kind.SubscriptionChanged => new SubscriptionChanged(r.M, r.N ?? string.Empty, r.B),
            _ => null,
        };
    }

    /// <summary>Short property names keep rows small: a flag change is logged once per message.</summary>
    private sealed class Row
    {
        public long M { get; set; }

        public uint U { get; set; }

        public uint[]? Us { get; set; }

        public ulong S { get; set; }

        public int F { get; set; }

        public string[]? K { get; set; }

        public string? N { get; set; }

        public string? N2 { get; set; }

        public bool B { get; set; }
    }
}
