// The Trello review board as a reviewer sees it: lists of cards to move, edit and comment on.
import type { CardView } from '../trello/person.ts';
import type { EmulatedWorld } from '../world.ts';

export function BoardPanel(props: { world: EmulatedWorld }) {
  const board = props.world.trello.boardView(props.world.boardId);
  const names = board.lists.map((l) => l.name);
  return (
    <section class="panel wide" id="board" data-panel>
      <h2>Trello · {board.name}</h2>
      <p class="hint">
        You are Robin, the reviewer. Move a card to <b>Approved</b> to send the email as the card says it, to{' '}
        <b>Rejected</b> to discard it, or to <b>Needs changes</b> with a comment saying what to change. Drag a
        card, or use its buttons.
      </p>
      <div class="lists">
        {board.lists.map((list) => (
          <div class="list" data-list={list.name}>
            <h3>
              {list.name} <span class="count">{list.cards.length}</span>
            </h3>
            {list.cards.map((card) => (
              <CardBox card={card} lists={names} />
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}

function CardBox({ card, lists }: { card: CardView; lists: string[] }) {
  const action = (what: string) => `/cards/${encodeURIComponent(card.id)}/${what}`;
  return (
    <article class="card" draggable="true" data-card-id={card.id} data-card-name={card.name}>
      <h4>{card.name}</h4>
      {card.labels.length > 0 && (
        <p class="labels">
          {card.labels.map((l) => (
            <span class="label">{l}</span>
          ))}
        </p>
      )}
      <div class="desc">{card.desc}</div>
      <form method="post" action={action('move')} class="moves">
        {lists
          .filter((name) => name !== card.listName)
          .map((name) => (
            <button type="submit" name="list" value={name} aria-label={`Move to ${name}`}>
              → {name}
            </button>
          ))}
      </form>
      <details id={`edit-${card.id}`}>
        <summary>Edit description</summary>
        <form method="post" action={action('description')}>
          <textarea name="desc" rows={8} maxlength={16384}>
            {card.desc}
          </textarea>
          <button type="submit">Save description</button>
        </form>
      </details>
      {card.comments.length > 0 && (
        <ul class="comments">
          {card.comments.map((c) => (
            <li>
              <b>{c.by}</b> {c.text}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={action('comments')} class="comment-form">
        <input
          name="text"
          required
          maxlength={16384}
          placeholder="Write a comment…"
          aria-label={`Comment on ${card.name}`}
        />
        <button type="submit">Comment</button>
      </form>
    </article>
  );
}
