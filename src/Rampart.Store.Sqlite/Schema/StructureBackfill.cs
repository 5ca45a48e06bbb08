using Microsoft.Data.Sqlite;
using Rampart.Store.Mime;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>Schema step 3's backfill: encodes the FETCH structure of every blob stored before the
/// <c>blob_structures</c> table existed, from its full metadata record.</summary>
/// <remarks>Runs inside the step's transaction (all or nothing), reading <see cref="BatchSize"/> blobs at a time in id
/// order, so memory stays bounded whatever the account holds. A blob whose metadata cannot be read gets no row: FETCH
/// then falls back to the full record and reports it as damaged, as it did before the step.</remarks>
internal static class StructureBackfill
{
    /// <summary>Blobs read per round. 256: about 3 MB of metadata at ≈ 10 KB a record.</summary>
    public const int BatchSize = 256;

    public static void Run(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT id, metadata FROM blobs WHERE id > $last ORDER BY id LIMIT $n";
        var last = select.Parameters.Add("$last", SqliteType.Integer);
        select.Parameters.AddWithValue("$n", BatchSize);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO blob_structures (blob_id, data) VALUES ($id, $data)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var data = insert.Parameters.Add("$data", SqliteType.Blob);
        var batch = new List<(long Id, byte[]? Structure)>(BatchSize);
        last.Value = 0L;
        while (true)
        {
            batch.Clear();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    batch.Add((reader.GetInt64(0), Encode((byte[])reader.GetValue(1))));
                }
            }

            foreach (var (blobId, structure) in batch)
            {
                if (structure is not null)
                {
                    id.Value = blobId;
                    data.Value = structure;
                    insert.ExecuteNonQuery();
                }
            }

            if (batch.Count < BatchSize)
            {
                return;
            }

            last.Value = batch[^1].Id;
        }
    }

    private static byte[]? Encode(byte[] metadata)
    {
        try
        {
            var (envelope, body, preview) = MessageMetadataSerializer.DeserializeStructure(metadata);
            return MessageStructureCodec.Encode(envelope, body, preview);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
