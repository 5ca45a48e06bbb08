using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Rampart.Store.Search;
using Rampart.Store.Sqlite.Accounts;

namespace Rampart.Store.Sqlite.Search;

/// <summary>Translates a SEARCH criteria tree (RFC 9051 §6.4.4) into one parameterised SQL condition over
/// <c>messages m</c> joined to <c>blobs b</c>. Client text only ever travels as parameters. Trees deeper than
/// <see cref="SqliteStoreOptions.MaxSearchDepth"/> or larger than <see cref="SqliteStoreOptions.MaxSearchNodes"/>
/// fail with TooComplex before any SQL is built (SECURITY.md M08).</summary>
internal sealed class SearchTranslator
{
    /// <summary>Registered on the connection: case-insensitive substring test (Unicode simple case folding), for
    /// header fields and for text too short for the trigram index.</summary>
    public const string ContainsFunction = "rampart_icontains";

    /// <summary>Registered on the connection: does the header text have a field of this name containing the value.</summary>
    public const string HeaderFunction = "rampart_header_has";

    private readonly SqliteCommand command;
    private readonly StringBuilder sql = new();
    private readonly int maxDepth;
    private readonly int maxNodes;
    private readonly DateTimeOffset now;
    private int nodes;

    private SearchTranslator(SqliteCommand command, int maxDepth, int maxNodes, DateTimeOffset now)
    {
        this.command = command;
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
        this.now = now;
    }

    /// <summary>Builds <c>SELECT m.uid … ORDER BY m.uid</c> into <paramref name="command"/>.</summary>
    public static void Build(SqliteCommand command, long mailboxId, SearchKey criteria, SqliteStoreOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var translator = new SearchTranslator(command, options.MaxSearchDepth, options.MaxSearchNodes, now);
        RegisterFunctions(command.Connection!);
        translator.sql.Append("SELECT m.uid FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $mailbox AND ");
        command.Parameters.AddWithValue("$mailbox", mailboxId);
        translator.Append(criteria, 1);
        translator.sql.Append(" ORDER BY m.uid");
        command.CommandText = translator.sql.ToString();
    }

    public static void RegisterFunctions(SqliteConnection connection)
    {
        connection.CreateFunction(ContainsFunction, (string? haystack, string? needle) =>
            haystack is not null && needle is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase), isDeterministic: true);
        connection.CreateFunction(HeaderFunction, (string? headers, string? field, string? value) =>
            headers is not null && field is not null && value is not null && HeaderHas(headers, field, value), isDeterministic: true);
    }

    /// <summary>Whether <c>Name: value</c> lines have a field named <paramref name="field"/> whose value contains
    /// <paramref name="value"/> (RFC 9051 §6.4.4 HEADER: an empty value matches any message with the field).</summary>
    internal static bool HeaderHas(string headers, string field, string value)
    {
        foreach (var line in headers.AsSpan().EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line[..colon].Trim().Equals(field.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (value.Length == 0 || line[(colon + 1)..].Contains(value.AsSpan(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private string Parameter(object? value)
    {
        var name = "$p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return name;
    }

    private void Append(SearchKey key, int depth)
    {
        if (depth > maxDepth || ++nodes > maxNodes)
        {
            throw new StoreException(StoreError.TooComplex, "The search criteria are nested too deeply or have too many terms.");
        }

        switch (key)
        {
            case AllKey:
                sql.Append('1');
                break;
            case AndKey and:
                if (and.Keys.Count == 0)
                {
                    sql.Append('1');
                    break;
                }

                sql.Append('(');
                for (var i = 0; i < and.Keys.Count; i++)
                {
                    sql.Append(i == 0 ? string.Empty : " AND ");
                    Append(and.Keys[i], depth + 1);
                }

                sql.Append(')');
                break;
            case OrKey or:
                sql.Append('(');
                Append(or.Left, depth + 1);
                sql.Append(" OR ");
                Append(or.Right, depth + 1);
                sql.Append(')');
                break;
            case NotKey not:
                sql.Append("(NOT ");
                Append(not.Key, depth + 1);
                sql.Append(')');
                break;
            case UidKey uid:
                UidFilter.Append(sql, command, uid.Uids, "m.uid");
                break;
            case FlagKey flag:
                sql.Append(CultureInfo.InvariantCulture, $"((m.flags & {Parameter((int)flag.Flag)}) {(flag.Set ? "<>" : "=")} 0)");
                break;
            case KeywordKey keyword:
                sql.Append(keyword.Set ? "EXISTS" : "NOT EXISTS")
                    .Append(CultureInfo.InvariantCulture, $" (SELECT 1 FROM message_keywords mk JOIN keywords k ON k.id = mk.keyword_id WHERE mk.mailbox_id = m.mailbox_id AND mk.uid = m.uid AND k.name = {Parameter(keyword.Keyword)})");
                break;
            case TextKey text:
                AppendText(text);
                break;
            case HeaderKey header:
                AppendHeader(header);
                break;
            case DateKey date:
                AppendDate(date);
                break;
            case AgeKey age:
                // RFC 5032: YOUNGER n is INTERNALDATE within n seconds of now; OLDER n is beyond.
                var limit = Parameter(now.ToUnixTimeSeconds() - age.Seconds);
                sql.Append(CultureInfo.InvariantCulture, $"(m.internal_date {(age.Younger ? ">=" : "<")} {limit})");
                break;
            case SizeKey size:
                sql.Append(CultureInfo.InvariantCulture, $"(m.size {(size.Larger ? ">" : "<")} {Parameter(size.Octets)})");
                break;
            case ModSeqKey modSeq:
                sql.Append(CultureInfo.InvariantCulture, $"(m.modseq >= {Parameter((long)Math.Min(modSeq.AtLeast, long.MaxValue))})");
                break;
            case EmailIdKey emailId:
                sql.Append(CultureInfo.InvariantCulture, $"(b.email_id = {Parameter(emailId.EmailId)})");
                break;
            default:
                throw new StoreException(StoreError.NotAllowed, $"Unknown search key {key.GetType().Name}.");
        }
    }

    /// <summary>TEXT/BODY. Three characters or more: an FTS5 trigram phrase query, which matches exactly the
    /// case-insensitive substrings. Shorter: the trigram index cannot help, so the stored text is scanned.</summary>
    private void AppendText(TextKey text)
    {
        if (text.Value.Length == 0)
        {
            sql.Append('1');
            return;
        }

        // SQLite reads text as C strings: a NUL (which IMAP's grammar forbids but a hostile literal can still carry) cuts
        // FTS5's phrase before its closing quote and the scan's needle before its tail, so neither can compare past it.
        // Matching the part before the NUL would answer a different question; a search string cannot hold a NUL in
        // IMAP's grammar (RFC 9051 §9, CHAR8), so such a term matches nothing.
        if (text.Value.Contains('\0', StringComparison.Ordinal))
        {
            sql.Append('0');
            return;
        }

        var columns = text.Scope == TextScope.Body ? "body_text" : "{header_text body_text}";
        if (text.Value.EnumerateRunes().Count() >= 3)
        {
            var query = Parameter($"{columns} : \"{text.Value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            sql.Append(CultureInfo.InvariantCulture, $"(m.blob_id IN (SELECT rowid FROM blob_text WHERE blob_text MATCH {query}))");
            return;
        }

        var value = Parameter(text.Value);
        var condition = text.Scope == TextScope.Body
            ? $"{ContainsFunction}(t.body_text, {value})"
            : $"({ContainsFunction}(t.header_text, {value}) OR {ContainsFunction}(t.body_text, {value}))";
        sql.Append(CultureInfo.InvariantCulture, $"EXISTS (SELECT 1 FROM blob_text t WHERE t.rowid = m.blob_id AND {condition})");
    }

    /// <summary>Whether the query of <paramref name="key"/> reads the full-text table (<c>blob_text</c>): TEXT and BODY,
    /// and HEADER on a field without a column of its own or with an empty value. A search that does not need not wait
    /// for pending texts to be indexed.</summary>
    public static bool ReadsTextIndex(SearchKey key) => key switch
    {
        TextKey => true,
        HeaderKey header => header.Value.Length == 0 || CommonColumn(header.Field) is null,
        AndKey and => and.Keys.Any(ReadsTextIndex),
        OrKey or => ReadsTextIndex(or.Left) || ReadsTextIndex(or.Right),
        NotKey not => ReadsTextIndex(not.Key),
        _ => false,
    };

    /// <summary>The column holding the decoded value of one of the five common header fields, else null.</summary>
    private static string? CommonColumn(string field) => field.ToUpperInvariant() switch
    {
        "SUBJECT" => "b.subject",
        "FROM" => "b.from_addr",
        "TO" => "b.to_addr",
        "CC" => "b.cc_addr",
        "BCC" => "b.bcc_addr",
        _ => null,
    };

    /// <summary>HEADER and FROM/TO/CC/BCC/SUBJECT: the decoded columns for the five common fields, the stored header
    /// lines for any other field and for the "has the field" test of an empty value.</summary>
    private void AppendHeader(HeaderKey header)
    {
        var column = CommonColumn(header.Field);
        if (column is not null && header.Value.Length > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{ContainsFunction}({column}, {Parameter(header.Value)})");
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $"EXISTS (SELECT 1 FROM blob_text t WHERE t.rowid = m.blob_id AND {HeaderFunction}(t.header_text, {Parameter(header.Field)}, {Parameter(header.Value)}))");
    }

    private void AppendDate(DateKey date)
    {
        var column = date.Field switch
        {
            DateField.Internal => "m.internal_day",
            DateField.Sent => "b.sent_day",
            _ => "m.save_day",
        };
        var op = date.Comparison switch
        {
            DateComparison.Before => "<",
            DateComparison.On => "=",
            _ => ">=",
        };
        var day = (date.Date.Year * 10000) + (date.Date.Month * 100) + date.Date.Day;
        sql.Append(CultureInfo.InvariantCulture, $"({column} {op} {Parameter(day)})");
    }
}
