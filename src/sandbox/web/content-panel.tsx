// The content recipe as a person sees it: the phone upload of the demo video, the Notion content
// calendar (one page per post), and the LinkedIn feed of what was published. Post text is the
// model's and the reviewer's words: JSX escapes it, and only https links become links.

import { utcTime } from '../../web/run-words.ts';
import type { LinkedInPostView } from '../linkedin/index.ts';
import type { EmulatedWorld } from '../world.ts';
import { plain } from './notion-panel.tsx';

/** Where the page serves a published post's image (its bytes as LinkedIn stored them). */
export const postImagePath = (urn: string) => `/linkedin/posts/${encodeURIComponent(urn)}/image`;

export function ContentPanel(props: { world: EmulatedWorld }) {
  const { world } = props;
  // The video pages hold transcripts; the calendar a person reads is the posts.
  const posts = world.notion
    .pages(world.contentCalendar.dataSourceId)
    .filter((p) => !p.title.startsWith('Video: '));
  return (
    <section class="panel wide" id="content" data-panel>
      <h2>Notion · Content calendar</h2>
      <p class="hint">
        Upload the demo video as a phone would: Baton transcribes it, writes three LinkedIn posts with a
        picture each and puts them on the board in <b>Review</b>. An approved post gets the next free slot and
        goes out then: advance the clock to see it in the LinkedIn feed.
      </p>
      <form method="post" action="/drive/demo-video" class="toolbar">
        <button type="submit">Upload the demo video to Drive</button>
        <span class="muted">
          {world.drive.files(world.videoFolderId).length} video(s) in <b>Daily videos</b>
        </span>
      </form>
      {posts.length === 0 ? (
        <p class="empty">No posts yet.</p>
      ) : (
        <table class="sheet" data-grid="calendar">
          <thead>
            <tr>
              <th>Post</th>
              <th>Status</th>
              <th>Publish at</th>
              <th>Post URL</th>
            </tr>
          </thead>
          <tbody>
            {posts.map((p) => {
              const url = plain(p.properties['Post URL']);
              return (
                <tr data-post={p.id}>
                  <td>{p.title || 'Untitled'}</td>
                  <td data-property="Status">{plain(p.properties.Status)}</td>
                  <td data-property="Publish at">{plain(p.properties['Publish at'])}</td>
                  <td data-property="Post URL">
                    {url.startsWith('https://') ? <a href={url}>{url}</a> : url}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function LinkedInPanel(props: { world: EmulatedWorld }) {
  const posts = props.world.linkedin.posts(props.world.linkedinAuthor);
  return (
    <section class="panel" id="linkedin" data-panel>
      <h2>LinkedIn · Sam Sandbox's feed</h2>
      <p class="hint">What the content recipe published, newest first, as readers see it.</p>
      {posts.length === 0 && <p class="empty">Nothing published yet.</p>}
      {posts.map((post) => (
        <FeedPost post={post} />
      ))}
    </section>
  );
}

function FeedPost({ post }: { post: LinkedInPostView }) {
  return (
    <article class="feed-post" data-linkedin-post={post.urn}>
      <div class="desc">{post.text}</div>
      {post.image?.bytes && <img src={postImagePath(post.urn)} alt="Generated for this post" width={240} />}
      <p class="muted">{utcTime(post.createdAt)}</p>
    </article>
  );
}
