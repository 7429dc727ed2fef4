using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Acme.Server.Storage;

/// <summary>
/// One open SQLite connection that outlives its leases, with the commands it has run kept prepared by their SQL
/// text. Microsoft.Data.Sqlite has no statement cache: a command's statements are parsed when it first runs and
/// freed with it, and closing a connection frees all of them, so every Dapper call parsed its SQL again (8 % of the
/// server's CPU under load, issue 13). A session is used by one lease at a time.
/// </summary>
internal sealed class SqliteSession(SqliteConnection connection) : IDisposable
{
    /// <summary>At most this many statements are kept per connection; SQL beyond it is parsed per use, as before.</summary>
    public const int MaxStatements = 256;

    /// <summary>At most this many parameter names are kept with their prefix; names beyond it are prefixed per use.</summary>
    public const int MaxParameterNames = 1024;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _prefixedNames = new(StringComparer.Ordinal);
    private int _borrowed;

    public SqliteConnection Connection { get; } = connection;

    /// <summary>The statements kept prepared now (tests).</summary>
    public int CachedStatements => _idle.Count;

    /// <summary>A command for <paramref name="sql"/>, already prepared when it ran on this connection before.</summary>
    public SqliteCommand Borrow(string sql)
    {
        _borrowed++;
        if (_idle.Remove(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Names each parameter as the SQL writes it, <c>@name</c>, when it was given without a prefix (as Dapper names
    /// them). Microsoft.Data.Sqlite looks an unprefixed name up four times per execution (<c>name</c>, then
    /// <c>:name</c>, <c>@name</c> and <c>$name</c>, all three to detect an ambiguity), each a UTF-8 copy and a native
    /// call; <c>@name</c> is found in one. A name the SQL does not write with <c>@</c> is left to that search.
    /// </summary>
    public void NameParametersAsWritten(SqliteCommand command)
    {
        var sql = command.CommandText;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            var name = parameter.ParameterName;
            if (name.Length == 0 || name[0] is '@' or '$' or ':')
            {
                continue;
            }

            if (!_prefixedNames.TryGetValue(name, out var prefixed))
            {
                prefixed = "@" + name;
                if (_prefixedNames.Count < MaxParameterNames)
                {
                    _prefixedNames.Add(name, prefixed);
                }
            }

            if (sql.Contains(prefixed, StringComparison.Ordinal))
            {
                parameter.ParameterName = prefixed;
            }
        }
    }

    /// <summary>
    /// Takes a command back. It is kept only when nothing can still use it: its reader closed (<paramref name="reusable"/>)
    /// and no other command of the same text kept; its parameters and transaction are cleared.
    /// </summary>
    public void Return(SqliteCommand command, bool reusable)
    {
        _borrowed--;
        if (reusable && _idle.Count < MaxStatements && !_idle.ContainsKey(command.CommandText))
        {
            command.Parameters.Clear();
            command.Transaction = null;
            _idle.Add(command.CommandText, command);
            return;
        }

        command.Dispose();
    }

    /// <summary>
    /// True when the next lease can have the connection as it is: open, no transaction left open (by a
    /// <c>BEGIN</c> in SQL as much as by the API) and every command it handed out given back.
    /// </summary>
    public bool IsClean =>
        _borrowed == 0
        && Connection.State == System.Data.ConnectionState.Open
        && raw.sqlite3_get_autocommit(Connection.Handle) != 0;

    /// <summary>
    /// Frees the prepared statements and closes the connection. Microsoft.Data.Sqlite's pool keeps the native
    /// connection as it is, so a transaction begun in SQL and left open is rolled back first.
    /// </summary>
    public void Dispose()
    {
        foreach (var command in _idle.Values)
        {
            command.Dispose();
        }

        _idle.Clear();
        try
        {
            if (Connection.State == System.Data.ConnectionState.Open && raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            {
                raw.sqlite3_exec(Connection.Handle, "ROLLBACK");
            }
        }
        finally
        {
            Connection.Dispose();
        }
    }
}
