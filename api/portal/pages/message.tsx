// A page that only says something: an error, a link refused, a notice.
import { Layout, type PageContext } from '../layout';

export function MessagePage({ context, title, message, link }: {
  context: PageContext; title: string; message: string; link?: { href: string; text: string };
}) {
  return (
    <Layout context={context} title={title}>
      <p role="status">{message}</p>
      {link && <p><a href={link.href}>{link.text}</a></p>}
    </Layout>
  );
}
