namespace Rampart.Security.Guard;

/// <summary>Where bans are kept so that they survive restarts and are shared by the CLI and the running server.</summary>
public interface IBanStore
{
    /// <summary>A value that changes whenever the stored list changes (a file's write time and length); cheap to read.</summary>
    long ChangeStamp { get; }

    /// <summary>Reads the list.</summary>
    IReadOnlyList<BanEntry> Load();

    /// <summary>Applies <paramref name="change"/> to the list atomically (read, change, write) and returns the new list.</summary>
    IReadOnlyList<BanEntry> Update(Action<List<BanEntry>> change);
}
