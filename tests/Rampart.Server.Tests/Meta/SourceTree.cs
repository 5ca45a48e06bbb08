using System.Runtime.CompilerServices;

namespace Rampart.Server.Tests.Meta;

/// <summary>Finds the repository root from this source file's compile-time path, wherever the build output went.</summary>
internal static class SourceTree
{
    public static string Root([CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Rampart.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Rampart.slnx not found above " + thisFile);
    }
}
