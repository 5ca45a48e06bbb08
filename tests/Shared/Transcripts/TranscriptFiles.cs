namespace Rampart.Testing.Transcripts;

/// <summary>The transcript files a test project copies next to its assembly (<c>Transcripts/*.txt</c>).</summary>
public static class TranscriptFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts");

    /// <summary>Every file's name, in ordinal order, as theory data.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>The full path of <paramref name="file"/>.</summary>
    public static string PathOf(string file) => Path.Combine(Directory, file);
}
