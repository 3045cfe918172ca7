using Npgsql;

namespace OfflineCirc.Core.Data;

/// <summary>
/// A select list built from a hot table's column map: each entry is a known column under a table alias, or a named
/// expression, and a reader asks for an entry's position by its name instead of counting. A column the map does not
/// know fails when the list is built (at start-up), not as a wrong value at run time.
/// </summary>
public sealed class Projection
{
    private readonly List<string> _items = [];
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

    /// <summary>The select list, in order.</summary>
    public string Sql => string.Join(", ", _items);

    /// <summary>Where an entry stands in the list.</summary>
    public int this[string name] => _ordinals[name];

    /// <summary>Columns of <paramref name="map"/> read as <c>alias.column</c>, each named by its column.</summary>
    public Projection Columns(ColumnMap map, string alias, params string[] columns)
    {
        foreach (var column in columns)
        {
            Add(column, $"{alias}.{map.Check(column)}");
        }
        return this;
    }

    /// <summary>A computed entry (a cast, a coalesce, a subquery) under a name of its own.</summary>
    public Projection Expression(string name, string sql)
    {
        Add(name, sql);
        return this;
    }

    public string? Text(NpgsqlDataReader r, string name) => r.IsDBNull(this[name]) ? null : r.GetString(this[name]);

    public T Get<T>(NpgsqlDataReader r, string name) => r.GetFieldValue<T>(this[name]);

    public T? Value<T>(NpgsqlDataReader r, string name) where T : struct => r.IsDBNull(this[name]) ? null : r.GetFieldValue<T>(this[name]);

    public T? Ref<T>(NpgsqlDataReader r, string name) where T : class => r.IsDBNull(this[name]) ? null : r.GetFieldValue<T>(this[name]);

    private void Add(string name, string sql)
    {
        if (!_ordinals.TryAdd(name, _items.Count))
        {
            throw new InvalidOperationException($"The select list names '{name}' twice.");
        }
        _items.Add(sql);
    }
}

/// <summary>The columns of one table, named once; writers and readers of the table are built from it.</summary>
public sealed class ColumnMap(string table, IEnumerable<string> columns)
{
    private readonly HashSet<string> _columns = [.. columns];

    public string Table { get; } = table;

    public string Check(string column) => _columns.Contains(column)
        ? column
        : throw new InvalidOperationException($"{Table} has no column '{column}' in its column map.");
}
