/**
 * A content store and image store on the local file system that is also an OCI image layout: {@link
 * dev.hoist.content.local.LocalContentStore}.
 */
package dev.hoist.content.local;
