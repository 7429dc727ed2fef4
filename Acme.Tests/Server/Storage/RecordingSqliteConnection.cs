using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;

namespace Acme.Tests.Server.Storage;

/// <summary>A SQLite connection that records the text of every statement it executes.</summary>
public sealed class RecordingSqliteConnection(string connectionString, ConcurrentQueue<string> log) : SqliteConnection(connectionString)
{
    public override SqliteCommand CreateCommand()
    {
        // The base command carries the connection's pending transaction and timeout; keep them.
        using var template = base.CreateCommand();
        return new RecordingCommand(log) { Connection = this, Transaction = template.Transaction, CommandTimeout = template.CommandTimeout };
    }

    private sealed class RecordingCommand(ConcurrentQueue<string> log) : SqliteCommand
    {
        public override SqliteDataReader ExecuteReader(CommandBehavior behavior)
        {
            log.Enqueue(CommandText);
            return base.ExecuteReader(behavior);
        }
    }
}
