using Acme.Server.Mail;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Mail;

/// <summary>A mail link is down exactly when its latest attempt failed.</summary>
public sealed class MailConnectivityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));

    [Test]
    public void NeverUsed_NotDown()
    {
        var state = new MailConnectivity(_time).Smtp.State;
        Assert.That(state.LatestFailed, Is.False);
        Assert.That(state.LastSuccess, Is.Null);
    }

    [Test]
    public void FailureAfterSuccess_Down_WithTimeAndReason()
    {
        var link = new MailConnectivity(_time).Imap;
        link.Succeeded();
        _time.Advance(TimeSpan.FromMinutes(1));
        link.Failed("connection refused");
        var state = link.State;
        Assert.That(state.LatestFailed, Is.True);
        Assert.That(state.LastFailure, Is.EqualTo(_time.GetUtcNow()));
        Assert.That(state.LastError, Is.EqualTo("connection refused"));
    }

    [Test]
    public void SuccessAfterFailure_UpAgain_FailureKeptForTheRecord()
    {
        var link = new MailConnectivity(_time).Smtp;
        link.Failed("timeout");
        _time.Advance(TimeSpan.FromSeconds(30));
        link.Succeeded();
        Assert.That(link.State.LatestFailed, Is.False);
        Assert.That(link.State.LastError, Is.EqualTo("timeout"));
    }

    [Test]
    public void SmtpAndImap_Independent()
    {
        var connectivity = new MailConnectivity(_time);
        connectivity.Smtp.Failed("down");
        Assert.That(connectivity.Imap.State.LatestFailed, Is.False);
    }
}
