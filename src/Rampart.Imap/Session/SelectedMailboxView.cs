using Rampart.Imap.Protocol;
using Rampart.Store.Changes;
using Rampart.Store.Model;

namespace Rampart.Imap.Session;

/// <summary>
/// A session's picture of its selected mailbox: the sequence-number map (RFC 9051 §2.3.1.2) and the changes
/// other sessions made that this one has not reported yet.
/// </summary>
/// <remarks>
/// Changes from the account's change feed are queued here and reported only when <see cref="Report"/> is
/// called at a point RFC 9051 §7.5 allows. An expunged message keeps its sequence number until its EXPUNGE
/// (or VANISHED) is sent, so the numbers a client holds stay right whatever happens meanwhile.
/// </remarks>
internal sealed class SelectedMailboxView
{
    private readonly List<uint> _uids;
    private readonly List<uint> _pendingAdded = [];
    private readonly SortedSet<uint> _pendingExpunged = [];
    private readonly Dictionary<uint, (MessageFlags Flags, ulong ModSeq)> _pendingFlags = [];
    private readonly Dictionary<uint, ulong> _reportedModSeq = [];

    /// <summary>The mailbox's HIGHESTMODSEQ when it was selected: a flag change at or below it was committed before
    /// the SELECT read the mailbox, so the client learns it from this selection (FETCH, CHANGEDSINCE), not as news.
    /// The account's change feed can deliver such a change after the SELECT (it is read a moment after its commit,
    /// and a change the session made itself may still be queued from the previous selection).</summary>
    private readonly ulong _selectedModSeq;
    private int _reportedExists;

    public SelectedMailboxView(MailboxInfo mailbox, IReadOnlyList<uint> uids, bool readOnly)
    {
        MailboxId = mailbox.Id;
        Name = mailbox.Name;
        UidValidity = mailbox.UidValidity;
        HighestModSeq = mailbox.HighestModSeq;
        _selectedModSeq = mailbox.HighestModSeq;
        ReadOnly = readOnly;
        _uids = [.. uids];
        _reportedExists = _uids.Count;
    }

    public long MailboxId { get; }

    public string Name { get; private set; }

    public uint UidValidity { get; }

    public bool ReadOnly { get; }

    public ulong HighestModSeq { get; private set; }

    /// <summary>Set when another session deleted the mailbox.</summary>
    public bool Deleted { get; private set; }

    /// <summary>The SEARCHRES saved result (RFC 5182), as UIDs.</summary>
    public UidSet SavedResult { get; set; } = UidSet.Empty;

    /// <summary>Messages as the client knows them (EXISTS).</summary>
    public int Count => _uids.Count;

    public IReadOnlyList<uint> Uids => _uids;

    public uint MaxUid => _pendingAdded.Count > 0 ? _pendingAdded[^1] : _uids.Count > 0 ? _uids[^1] : 0;

    /// <summary>The sequence number of a UID, or 0 when the client does not know it.</summary>
    public int SequenceOf(uint uid)
    {
        var index = _uids.BinarySearch(uid);
        return index >= 0 ? index + 1 : 0;
    }

    public bool IsExpungePending(uint uid) => _pendingExpunged.Contains(uid);

    /// <summary>Resolves a sequence set (by message number or by UID) to the UIDs the client can address.</summary>
    /// <exception cref="ImapCommandException">BAD for a message number beyond EXISTS.</exception>
    public UidSet Resolve(SequenceSet set, bool byUid)
    {
        if (set.IsSavedResult)
        {
            return SavedResult;
        }

        if (byUid)
        {
            var max = _uids.Count > 0 ? _uids[^1] : 0u;
            var ranges = new List<(uint, uint)>(set.Ranges.Count);
            foreach (var (start, end) in set.Ranges)
            {
                var s = start == SequenceSet.Star ? max : start;
                var e = end == SequenceSet.Star ? max : end;
                if (s != 0 || e != 0)
                {
                    ranges.Add((s == 0 ? e : s, e == 0 ? s : e));
                }
            }

            return UidSet.FromRanges(ranges);
        }

        var count = (uint)_uids.Count;
        var result = new List<(uint, uint)>(set.Ranges.Count);
        foreach (var (start, end) in set.Ranges)
        {
            var s = start == SequenceSet.Star ? count : start;
            var e = end == SequenceSet.Star ? count : end;
            if (s == 0 && e == 0)
            {
                continue; // "*" in an empty mailbox.
            }

            if (Math.Min(s, e) > count || (start != SequenceSet.Star && end != SequenceSet.Star && Math.Max(s, e) > count))
            {
                throw ImapCommandException.Syntax("Message sequence number out of range");
            }

            // "7:*" with five messages is "5:7" (RFC 9051 §9, seq-range): the numbers past "*" address nothing.
            var (lo, hi) = s <= e ? (s, e) : (e, s);
            lo = Math.Max(lo, 1);
            hi = Math.Min(hi, count);
            if (hi - lo + 1 == count)
            {
                return _uids.Count == 0 ? UidSet.Empty : UidSet.Range(_uids[0], _uids[^1]);
            }

            for (var n = lo; n <= hi; n++)
            {
                result.Add((_uids[(int)n - 1], _uids[(int)n - 1]));
            }
        }

        return UidSet.FromRanges(result);
    }

    /// <summary>UIDs of <paramref name="set"/> the client knows (the store may hold newer ones).</summary>
    public List<uint> Known(UidSet set)
    {
        var known = new List<uint>();
        foreach (var (start, end) in set.Ranges)
        {
            var from = _uids.BinarySearch(start);
            from = from < 0 ? ~from : from;
            for (var i = from; i < _uids.Count && _uids[i] <= end; i++)
            {
                known.Add(_uids[i]);
            }
        }

        return known;
    }

    /// <summary>A message this session added itself (APPEND/COPY into the selected mailbox): EXISTS at the end of the command.</summary>
    public void NoteAdded(uint uid)
    {
        if (uid > MaxUid)
        {
            _pendingAdded.Add(uid);
        }
    }

    /// <summary>Flags this session has reported itself (STORE, FETCH): the feed's copy is not reported again.</summary>
    public void NoteReported(uint uid, ulong modSeq)
    {
        _reportedModSeq[uid] = modSeq;
        _pendingFlags.Remove(uid);
        HighestModSeq = Math.Max(HighestModSeq, modSeq);
    }

    /// <summary>Messages this session expunged and already reported.</summary>
    public void NoteExpunged(IEnumerable<uint> uids)
    {
        foreach (var uid in uids)
        {
            var index = _uids.BinarySearch(uid);
            if (index >= 0)
            {
                _uids.RemoveAt(index);
            }

            _pendingExpunged.Remove(uid);
            _pendingFlags.Remove(uid);
        }

        _reportedExists = _uids.Count;
    }

    /// <summary>Queues one change from the feed.</summary>
    public void Apply(MailChange change)
    {
        if (change.MailboxId != MailboxId)
        {
            return;
        }

        switch (change)
        {
            case MessageAdded added:
                NoteAdded(added.Uid);
                HighestModSeq = Math.Max(HighestModSeq, added.ModSeq);
                break;
            case FlagsChanged flags:
                HighestModSeq = Math.Max(HighestModSeq, flags.ModSeq);
                if (flags.ModSeq <= _selectedModSeq || (_reportedModSeq.TryGetValue(flags.Uid, out var reported) && reported >= flags.ModSeq))
                {
                    break;
                }

                if (SequenceOf(flags.Uid) > 0 || _pendingAdded.Contains(flags.Uid))
                {
                    _pendingFlags[flags.Uid] = (flags.Flags, flags.ModSeq);
                }

                break;
            case MessagesExpunged expunged:
                HighestModSeq = Math.Max(HighestModSeq, expunged.ModSeq);
                foreach (var uid in expunged.Uids)
                {
                    if (SequenceOf(uid) > 0)
                    {
                        _pendingExpunged.Add(uid);
                    }

                    _pendingAdded.Remove(uid);
                }

                break;
            case MailboxRenamed renamed:
                Name = renamed.NewName;
                break;
            case MailboxDeleted:
                Deleted = true;
                break;
            default:
                break;
        }
    }

    /// <summary>Replaces the map after the feed overflowed: what vanished becomes pending expunges, what is new pending adds.</summary>
    public void Resynchronize(IReadOnlyList<uint> current)
    {
        var now = new HashSet<uint>(current);
        foreach (var uid in _uids)
        {
            if (!now.Contains(uid))
            {
                _pendingExpunged.Add(uid);
            }
        }

        var max = MaxUid;
        foreach (var uid in current)
        {
            if (uid > max)
            {
                _pendingAdded.Add(uid);
            }
        }
    }

    /// <summary>Writes the untagged responses for queued changes: expunges (when <paramref name="allowExpunge"/>),
    /// then EXISTS for new messages, then FETCH FLAGS. Returns true when anything was written.</summary>
    public bool Report(ResponseWriter writer, bool allowExpunge, bool qresync, bool condstore)
    {
        var wrote = false;
        if (allowExpunge && _pendingExpunged.Count > 0)
        {
            if (qresync)
            {
                writer.Raw("* VANISHED "u8).Ascii(UidSet.FromRanges(_pendingExpunged.Select(u => (u, u))).ToString()).Line();
                NoteExpunged([.. _pendingExpunged]);
            }
            else
            {
                // Highest first, so that each number is still valid when the client reads it.
                foreach (var uid in _pendingExpunged.Reverse().ToList())
                {
                    writer.Raw("* "u8).Number((ulong)SequenceOf(uid)).Raw(" EXPUNGE"u8).Line();
                    NoteExpunged([uid]);
                }
            }

            wrote = true;
        }

        if (_pendingAdded.Count > 0)
        {
            _uids.AddRange(_pendingAdded);
            _pendingAdded.Clear();
        }

        if (_uids.Count != _reportedExists)
        {
            writer.Raw("* "u8).Number((ulong)_uids.Count).Raw(" EXISTS"u8).Line();
            _reportedExists = _uids.Count;
            wrote = true;
        }

        foreach (var (uid, (flags, modSeq)) in _pendingFlags.OrderBy(p => p.Key))
        {
            var seq = SequenceOf(uid);
            if (seq == 0)
            {
                continue;
            }

            writer.Raw("* "u8).Number((ulong)seq).Raw(" FETCH (UID "u8).Number(uid).Raw(" FLAGS "u8).Ascii(FlagList.Format(flags));
            if (condstore)
            {
                writer.Raw(" MODSEQ ("u8).Number(modSeq).Raw(")"u8);
            }

            writer.Raw(")"u8).Line();
            _reportedModSeq[uid] = modSeq;
            wrote = true;
        }

        _pendingFlags.Clear();
        return wrote;
    }
}
