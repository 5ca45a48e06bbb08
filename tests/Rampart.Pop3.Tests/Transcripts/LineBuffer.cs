using System.Text;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Splits received bytes into lines (CRLF, or a bare LF so that a wrong line end is seen, not hidden).</summary>
public sealed class LineBuffer
{
    private readonly List<byte> _pending = [];

    public int Pending => _pending.Count;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _pending.Add(b);
        }
    }

    public bool TryTake(out string line)
    {
        var end = _pending.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = "";
            return false;
        }

        var length = end > 0 && _pending[end - 1] == (byte)'\r' ? end - 1 : end;
        line = Encoding.UTF8.GetString(_pending.GetRange(0, length).ToArray());
        if (length == end)
        {
            line += "<bare LF>";
        }

        _pending.RemoveRange(0, end + 1);
        return true;
    }
}
