namespace Rampart.Store.Sqlite.Accounts;

/// <summary>Moves search text from <c>blob_text_pending</c> into the FTS5 trigram index <c>blob_text</c>, as one write
/// of the account writer. Indexing a batch at once costs less than a message at a time (one segment per batch) and
/// runs after the deliveries' commits, not inside them.</summary>
internal static class TextIndex
{
    /// <summary>Most pending texts indexed by one write, so a long backlog does not hold the writer for long.</summary>
    public const int MaxBatch = 512;

    /// <summary>Indexes up to <paramref name="max"/> pending texts, oldest first; returns how many.</summary>
    public static int Flush(WriteContext context, int max)
    {
        if (context.Scalar("SELECT max(blob_id) FROM (SELECT blob_id FROM blob_text_pending ORDER BY blob_id LIMIT $n)", ("$n", max)) is not long last)
        {
            return 0;
        }

        context.Execute(
            "INSERT INTO blob_text (rowid, header_text, body_text) SELECT blob_id, header_text, body_text FROM blob_text_pending WHERE blob_id <= $last",
            ("$last", last));
        return context.Execute("DELETE FROM blob_text_pending WHERE blob_id <= $last", ("$last", last));
    }
}
