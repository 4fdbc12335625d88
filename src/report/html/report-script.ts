/**
 * The pages' only script: table filters and expand/collapse for step cards. Plain DOM, no
 * dependencies; the pages are fully readable with scripts disabled.
 *
 * A filter bar `<div class="filters" data-table="ID">` holds a search box (`data-filter="text"`)
 * and selects (`data-filter="NAME"`) matched against each row's `data-NAME` attribute.
 */
export const REPORT_SCRIPT = `
(function(){
  document.querySelectorAll('.filters[data-table]').forEach(function(bar){
    var table=document.getElementById(bar.getAttribute('data-table'));
    if(!table)return;
    var rows=Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    var texts=null;
    var count=bar.querySelector('[data-count]');
    var controls=Array.prototype.slice.call(bar.querySelectorAll('[data-filter]'));
    function apply(){
      if(!texts)texts=rows.map(function(row){return row.textContent.toLowerCase();});
      var shown=0;
      var selects=controls.filter(function(c){return c.getAttribute('data-filter')!=='text'&&c.value!=='';});
      var search=controls.filter(function(c){return c.getAttribute('data-filter')==='text';})
        .map(function(c){return c.value.trim().toLowerCase();}).join(' ').split(/\\s+/).filter(Boolean);
      rows.forEach(function(row,i){
        var visible=search.every(function(word){return texts[i].indexOf(word)>=0;})&&
          selects.every(function(c){return row.getAttribute('data-'+c.getAttribute('data-filter'))===c.value;});
        row.hidden=!visible;
        if(visible)shown++;
      });
      if(count)count.textContent=shown===rows.length?rows.length+' rows':shown+' of '+rows.length+' rows';
    }
    controls.forEach(function(c){c.addEventListener('input',apply);c.addEventListener('change',apply);});
    if(count)count.textContent=rows.length+' rows';
  });
  document.querySelectorAll('[data-toggle-steps]').forEach(function(button){
    button.addEventListener('click',function(){
      var open=button.getAttribute('data-toggle-steps')==='open';
      document.querySelectorAll('details.step-card').forEach(function(card){card.open=open;});
    });
  });
  if(location.hash){
    var target=document.getElementById(location.hash.slice(1));
    if(target&&target.tagName==='DETAILS')target.open=true;
  }
  window.addEventListener('hashchange',function(){
    var target=document.getElementById(location.hash.slice(1));
    if(target&&target.tagName==='DETAILS')target.open=true;
  });
})();
`;
