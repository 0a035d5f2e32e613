<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of the catalog (exports.atom_feed) as a plain page when it is opened in a
     browser, in the feed's language; feed readers ignore it. Generated from catalog/templates/feed.xsl. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/atom:feed">
<html lang="{{ view.language }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width,initial-scale=1"/>
<title><xsl:value-of select="atom:title"/></title>
<style>
body { font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f23; max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
a { color: #0b3d6b; }
a:focus { outline: 3px solid #0b3d6b; outline-offset: 2px; }
.note { border: 1px solid #0b3d6b; padding: .75rem 1rem; background: #f3f6fa; }
code { word-break: break-all; }
ol { padding-left: 1.2rem; }
li { margin: 0 0 1rem; }
.meta { color: #444; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1><xsl:value-of select="atom:title"/></h1>
<p><xsl:value-of select="atom:subtitle"/></p>
<div class="note">
<p>{{ view.t.feed_page_note }}</p>
<p>{{ view.t.feed_page_address }} <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
<p><a href="{atom:link[@rel='alternate']/@href}">{{ view.t.feed_page_open }}</a></p>
</div>
<ol>
<xsl:for-each select="atom:entry">
<li>
<a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
<div class="meta">{{ view.t.feed_updated }} <xsl:value-of select="substring(atom:updated, 1, 10)"/></div>
<div><xsl:value-of select="atom:summary"/></div>
</li>
</xsl:for-each>
</ol>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>
