using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>Keywords are stored once per account in <c>keywords</c> (case-insensitive, in the case first seen) and
/// linked to messages by id, so setting or matching 100k keywords is linear (SECURITY.md M07).</summary>
internal static class Keywords
{
    /// <summary>Longest keyword accepted. 255: far above any client's use, and bounds the keywords table.</summary>
    public const int MaxLength = 255;

    /// <summary>Ids and stored spellings of <paramref name="names"/>, creating missing ones; duplicates (in any case) collapse.</summary>
    public static Dictionary<long, string> Resolve(WriteContext context, IEnumerable<string> names, bool create)
    {
        var result = new Dictionary<long, string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var command = context.Command(create
            ? "INSERT INTO keywords (name) VALUES ($n) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id, name"
            : "SELECT id, name FROM keywords WHERE name = $n");
        var parameter = command.Parameters.Add("$n", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var name in names)
        {
            if (!seen.Add(name))
            {
                continue;
            }

            Validate(name);
            parameter.Value = name;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                result[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        return result;
    }

    /// <summary>A keyword is an IMAP atom (RFC 9051 §9 flag-keyword): no controls, spaces, specials or a leading backslash.</summary>
    public static void Validate(string keyword)
    {
        if (keyword.Length is 0 or > MaxLength || keyword[0] == '\\')
        {
            throw new StoreException(StoreError.InvalidName, "A keyword has 1 to 255 characters and does not start with \\.");
        }

        foreach (var c in keyword)
        {
            if (c <= ' ' || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']')
            {
                throw new StoreException(StoreError.InvalidName, "A keyword is an atom of printable ASCII.");
            }
        }
    }

    /// <summary>Links keyword ids to one message.</summary>
    public static void Link(WriteContext context, long mailboxId, uint uid, IEnumerable<long> keywordIds)
    {
        using var command = context.Command("INSERT OR IGNORE INTO message_keywords (mailbox_id, uid, keyword_id) VALUES ($m, $u, $k)");
        command.Parameters.AddWithValue("$m", mailboxId);
        command.Parameters.AddWithValue("$u", (long)uid);
        var keyword = command.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var id in keywordIds)
        {
            keyword.Value = id;
            command.ExecuteNonQuery();
        }
    }

    public static void Unlink(WriteContext context, long mailboxId, uint uid, IEnumerable<long> keywordIds)
    {
        using var command = context.Command("DELETE FROM message_keywords WHERE mailbox_id = $m AND uid = $u AND keyword_id = $k");
        command.Parameters.AddWithValue("$m", mailboxId);
        command.Parameters.AddWithValue("$u", (long)uid);
        var keyword = command.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var id in keywordIds)
        {
            keyword.Value = id;
            command.ExecuteNonQuery();
        }
    }

    public static MessageFlags Flags(SystemFlags system, IEnumerable<string> keywords) =>
        new(system, [.. keywords.Order(StringComparer.OrdinalIgnoreCase)]);
}
