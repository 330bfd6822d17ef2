using System.Net;
using Reprise.Transport;
using Reprise.Retry;

namespace Reprise.Tests.Transport;

public class RedirectRulesTests
{
    [Theory]
    [InlineData("https://a.example/x", "http://a.example/y", 0, 10, false, RetryStopReason.InsecureRedirect)]
    [InlineData("http://a.example/x", "file:///etc/passwd", 0, 10, false, RetryStopReason.InsecureRedirect)]
    [InlineData("http://a.example/x", "https://a.example/y", 0, 10, false, RetryStopReason.None)]
    [InlineData("http://a.example/x", "http://a.example/x", 0, 10, true, RetryStopReason.RedirectLoop)]
    [InlineData("http://a.example/x", "http://a.example/y", 10, 10, false, RetryStopReason.TooManyRedirects)]
    [InlineData("http://a.example/x", "http://a.example/y", 0, 0, false, RetryStopReason.TooManyRedirects)]
    public void Refusal_Cases_TheReasonOfEach(string from, string to, int soFar, int max, bool seen, RetryStopReason expected)
        => Assert.Equal(expected, RedirectRules.Refusal(new Uri(from), new Uri(to), soFar, max, seen));

    [Theory]
    [InlineData("POST", 301, true)]
    [InlineData("POST", 302, true)]
    [InlineData("PUT", 302, false)]
    [InlineData("PUT", 303, true)]
    [InlineData("HEAD", 303, false)]
    [InlineData("POST", 307, false)]
    [InlineData("POST", 308, false)]
    public void RequiresGet_MethodAndStatus_AsRfc9110AndBrowsers(string method, int status, bool expected)
        => Assert.Equal(expected, RedirectRules.RequiresGet(new HttpMethod(method), (HttpStatusCode)status));

    [Theory]
    [InlineData("http://a.example/x", "http://a.example:80/y", true)]
    [InlineData("http://a.example/x", "http://a.example:81/y", false)]
    [InlineData("http://a.example/x", "https://a.example/y", false)]
    [InlineData("http://a.example/x", "http://b.example/x", false)]
    public void SameOrigin_SchemeHostAndPort(string a, string b, bool expected)
        => Assert.Equal(expected, RedirectRules.SameOrigin(new Uri(a), new Uri(b)));

    [Fact]
    public void BasicOf_EscapedUserInfo_UnescapesEachPart()
        => Assert.Equal("Basic " + Convert.ToBase64String("us:er@x:p:w"u8.ToArray()), UserInfoCredentials.BasicOf("us%3Aer%40x:p:w").ToString());
}
