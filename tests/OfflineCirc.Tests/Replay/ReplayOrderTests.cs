using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Replay;

/// <summary>
/// The run's list is read unsorted and put in replay order by the worker (docs/replay-rules.md): registrations first,
/// then recorded time, ties by file, line and id.
/// </summary>
public class ReplayOrderTests
{
    private static readonly long Ten = new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void Registrations_come_first_then_recorded_time_then_file_line_and_id()
    {
        List<ListEntry> entries =
        [
            new(Later: true, Ten + 1, FileId: 1, LineNumber: 1, Id: 1),
            new(Later: true, Ten, FileId: 2, LineNumber: 1, Id: 2),
            new(Later: true, Ten, FileId: 1, LineNumber: 7, Id: 3),
            new(Later: true, Ten, FileId: 1, LineNumber: 3, Id: 4),
            new(Later: false, Ten + 5, FileId: 2, LineNumber: 9, Id: 5),
            new(Later: true, Ten, FileId: 1, LineNumber: 3, Id: 0),
            new(Later: true, Ten - 1, FileId: 9, LineNumber: 9, Id: 9),
        ];

        Assert.Equal([5, 9, 0, 4, 3, 2, 1], ListEntry.Sorted(entries));
    }
}
